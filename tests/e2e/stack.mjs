// SPDX-License-Identifier: MIT
// stack.mjs - brings up the whole real stack for the browser test through the checkout's `./im up`
// on free ports in a temporary var dir (as tests/integration/Stack.cc does), and `./im down` after.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Cheap Argon2, no per-address login limit and no send limit: every browser shares 127.0.0.1.
const kTestConfig = [
  'auth.argon2_ops = 1',
  'auth.argon2_mem_kib = 8192',
  'limits.login_per_address = 0',
  'limits.send_per_user = 0',
].join('\n');

const kFirstPort = 20000;

// Ports below the kernel's ephemeral range (tests/support/FreePort.h says why).
function ephemeralStart() {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return low > kFirstPort + 1000 ? low : 32768;
  } catch {
    return 32768;
  }
}

function bindable(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// The first of `count` consecutive free ports.
async function freePorts(count, taken) {
  const top = ephemeralStart() - count;
  for (let attempt = 0; attempt < 500; attempt++) {
    const first = kFirstPort + Math.floor(Math.random() * (top - kFirstPort));
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = !taken.has(first + i) && await bindable(first + i);
    if (ok) {
      for (let i = 0; i < count; i++) taken.add(first + i);
      return first;
    }
  }
  throw new Error('no free ports');
}

function run(command, args, env, timeoutMs) {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code ?? 1 : 0, output: stdout + stderr }));
  });
}

export class Stack {
  constructor(sourceDir, buildDir) {
    this.sourceDir = sourceDir;
    this.buildDir = buildDir;
  }

  async start() {
    this.var = mkdtempSync(join(tmpdir(), 'im-e2e-'));
    const taken = new Set();
    this.port = await freePorts(1, taken);
    this.env = {
      ...process.env,
      IM_VAR: this.var,
      IM_BUILD_DIR: this.buildDir,
      IM_PORT: String(this.port),
      IM_MYSQL_PORT: String(await freePorts(1, taken)),
      IM_REDIS_PORT: String(await freePorts(1, taken)),
      IM_PUSHD_PORT: String(await freePorts(2, taken)),
      IM_PUSHD_NODES: '2',
      IM_FCGI_WORKERS: '3',
      IM_MYSQL_BUFFER_POOL: '64M',
      IM_SKIP_INSTALL: '1',
      IM_SKIP_BUILD: '1',
      IM_EXTRA_CONFIG: kTestConfig,
    };
    this.started = true;  // from here on, stop() runs `./im down` even if `up` fails half-way
    const up = await run(join(this.sourceDir, 'im'), ['up'], this.env, 180000);
    if (up.code !== 0) throw new Error(`./im up failed (${up.code}):\n${up.output}\n${this.logTails()}`);
    this.url = `http://127.0.0.1:${this.port}`;
  }

  // keepFiles: a test failed; leave the logs for the reader.
  async stop(keepFiles) {
    if (!this.started) return;
    const down = await run(join(this.sourceDir, 'im'), ['down'], this.env, 120000);
    if (down.code !== 0) console.error(`./im down failed:\n${down.output}`);
    this.started = false;
    if (keepFiles) console.error(`stack: a test failed; logs kept in ${this.var}/log`);
    else rmSync(this.var, { recursive: true, force: true });
  }

  logTails(lines = 30) {
    const dir = join(this.var, 'log');
    let text = '';
    try {
      for (const name of readdirSync(dir)) {
        const log = readFileSync(join(dir, name), 'utf8').split('\n').slice(-lines).join('\n');
        text += `--- ${name}\n${log}\n`;
      }
    } catch { /* no logs yet */ }
    return text;
  }

  // A direct API call (test set-up that is not what the test is about).
  async api(method, path, { token, body } = {}) {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(`${this.url}/im/${path}`, { method, headers, body: body && JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
}
