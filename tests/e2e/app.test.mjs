// SPDX-License-Identifier: MIT
// app.test.mjs - the web app at /im/app/ end to end: real headless Chromium against the real
// stack (./im up on free ports), two people in two browser contexts, driven through the page.
// The scenarios run in order and build on each other (alice and bob keep their conversation).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stack } from './stack.mjs';
import { Person, kWait, launchChromium } from './person.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = process.env.IM_SOURCE_DIR ?? resolve(here, '../..');
const buildDir = process.env.IM_BUILD_DIR ?? join(sourceDir, 'build');
const artifacts = process.env.IM_ARTIFACTS ?? join(buildDir, 'test-artifacts', 'web-e2e');

const stack = new Stack(sourceDir, buildDir);
let browser;
let alice;
let bob;
let failed = false;

before(async () => {
  await stack.start();
  browser = await launchChromium();
  alice = new Person(browser, stack.url, 'alice', artifacts);
  bob = new Person(browser, stack.url, 'bob', artifacts);
  await bob.start();
  await alice.start();
});

after(async () => {
  await browser?.close();
  await stack.stop(failed);
});

// Every scenario ends with screenshots of both people and no app error or dialog.
async function scenario(name, body) {
  test(name, { timeout: 90000 }, async () => {
    try {
      await body();
      alice.assertNoErrors();
      bob.assertNoErrors();
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      const label = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await alice?.screenshot(label).catch(() => {});
      await bob?.screenshot(label).catch(() => {});
    }
  });
}

scenario('the app is served with a CSP that forbids inline script', async () => {
  const page = await fetch(`${stack.url}/im/app/`);
  assert.equal(page.status, 200);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.match(page.headers.get('content-type'), /^text\/html/);
  const script = await fetch(`${stack.url}/im/app/js/main.js`);
  assert.match(script.headers.get('content-type'), /^text\/javascript/, 'modules need a JavaScript type under nosniff');
  assert.match(script.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  const bare = await fetch(`${stack.url}/im/app`, { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.get('location'), '/im/app/');
  // The browser enforces it: an inline script added to the page does not run.
  const ran = await alice.page.evaluate(() => new Promise((done) => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.head.append(s);
    setTimeout(() => done(window.inlineRan === true), 200);
  }));
  assert.equal(ran, false, 'the CSP blocks inline script');
});

scenario('two people register and exchange messages both ways', async () => {
  await bob.register({ stay: true });   // bob: token in localStorage, shared by his tabs
  await alice.register();               // alice: sessionStorage only
  // bob is polling, so alice's online list has him.
  await alice.page.locator('#online button', { hasText: 'bob' }).click();
  await alice.send('hello bob');
  await alice.expectMessages(['hello bob']);
  // bob has not opened the conversation: it is listed with one unread message.
  const item = bob.page.locator('#conversations button', { hasText: 'alice' });
  await item.locator('.badge', { hasText: '1' }).waitFor({ timeout: kWait });
  await bob.openConversation('alice');
  await bob.expectMessages(['hello bob']);
  await bob.send('hi alice');
  await bob.expectMessages(['hello bob', 'hi alice']);
  await alice.expectMessages(['hello bob', 'hi alice']);
});

scenario('a reload, a closed tab and a second tab see every message exactly once', async () => {
  await bob.page.reload();
  await bob.waitOnline();
  await bob.expectMessages(['hello bob', 'hi alice']);
  // bob closes his tab; what alice sends meanwhile is there when he comes back, once.
  await bob.page.close();
  for (const n of [1, 2, 3]) await alice.send(`while you were away ${n}`);
  const away = ['while you were away 1', 'while you were away 2', 'while you were away 3'];
  await alice.expectMessages(['hello bob', 'hi alice', ...away]);
  bob.page = await bob.newTab();
  await bob.waitOnline();
  await bob.openConversation('alice');
  await bob.expectMessages(['hello bob', 'hi alice', ...away]);
  // A second tab of bob's: both get alice's next message, and what one sends shows in the other.
  const second = await bob.newTab();
  await bob.waitOnline(second);
  await bob.openConversation('alice', second);
  await alice.send('to both tabs');
  await bob.expectMessages(['hello bob', 'hi alice', ...away, 'to both tabs']);
  await bob.expectMessages(['hello bob', 'hi alice', ...away, 'to both tabs'], second);
  await bob.send('from the second tab', second);
  const all = ['hello bob', 'hi alice', ...away, 'to both tabs', 'from the second tab'];
  await bob.expectMessages(all);
  await bob.expectMessages(all, second);
  await alice.expectMessages(all);
  await second.close();
});

scenario('a message body is shown as text and never runs', async () => {
  const attack = '<img src=x onerror=alert(1)>';
  await alice.send(attack);
  await bob.page.waitForFunction((text) => [...document.querySelectorAll('#messages li.msg[data-id] .body')]
    .some((p) => p.textContent === text), attack, { timeout: kWait });
  for (const person of [alice, bob]) {
    assert.equal(await person.page.locator('#messages img, #conversations img').count(), 0, 'no element made of the body');
    assert.equal((await person.bodies()).at(-1), attack);
    assert.match(await person.page.locator('#conversations').textContent(), /<img src=x onerror=alert\(1\)>/);
  }
  // An onerror would have fired by now (the image source fails at once); the dialog check is in scenario().
});

scenario('a send whose answer is lost is sent again and stored once', async () => {
  // alice's polls are held back (else the poll could show her the message before the retry),
  // then her first send reaches the server but its answer is cut: the app sends it again with
  // the same client_msg_id, which the server recognises.
  const heldPolls = [];
  await alice.context.route('**/im/poll?*', (route) => { heldPolls.push(route); });
  await alice.context.setOffline(true);  // ends the poll in flight (the app aborts it)
  await alice.page.locator('#status[data-state="offline"]').waitFor();
  await alice.context.setOffline(false);
  await alice.page.waitForFunction(() => document.getElementById('status').dataset.state === 'connecting');
  let sends = 0;
  await alice.page.route('**/im/send', async (route) => {
    if (sends++ > 0) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  });
  await alice.send('sent twice, stored once');
  await alice.page.locator('#messages li.msg[data-id] .body', { hasText: 'sent twice, stored once' }).waitFor();
  assert.equal(sends, 2, 'the app sent it again once');
  await alice.page.unroute('**/im/send');
  await alice.context.unroute('**/im/poll?*');
  for (const route of heldPolls) await route.continue().catch(() => {});  // an aborted one is gone
  await alice.waitOnline();
  const history = await stack.api('GET', `history?with=${bob.userId}&limit=200`, { token: alice.token });
  assert.equal(history.body.messages.filter((m) => m.body === 'sent twice, stored once').length, 1, 'stored once');
  for (const person of [alice, bob]) {
    await person.page.locator('#messages li.msg[data-id] .body', { hasText: 'sent twice, stored once' }).waitFor();
    assert.equal((await person.bodies()).filter((b) => b === 'sent twice, stored once').length, 1, `${person.name} sees it once`);
  }
});

scenario('a message written just before a reload still goes out, once', async () => {
  await alice.page.route('**/im/send', (route) => route.abort('connectionrefused'));
  await alice.send('written before a reload');
  await alice.page.locator('#messages li.msg[data-client] .body', { hasText: 'written before a reload' }).waitFor();
  await alice.page.unroute('**/im/send');
  await alice.page.reload();
  await alice.waitOnline();
  for (const person of [alice, bob]) {
    await person.page.locator('#messages li.msg[data-id] .body', { hasText: 'written before a reload' }).waitFor();
    assert.equal((await person.bodies()).filter((b) => b === 'written before a reload').length, 1, `${person.name} sees it once`);
  }
});

scenario('offline: the banner says so, and what came meanwhile arrives once', async () => {
  const before = await bob.bodies();
  await bob.context.setOffline(true);
  await bob.page.locator('#status[data-state="offline"]').waitFor();
  assert.match(await bob.page.locator('#status').textContent(), /offline/i);
  await alice.send('while you were offline 1');
  await alice.send('while you were offline 2');
  await alice.expectMessages([...before, 'while you were offline 1', 'while you were offline 2']);
  await bob.context.setOffline(false);
  await bob.waitOnline();
  await bob.expectMessages([...before, 'while you were offline 1', 'while you were offline 2']);
});

scenario('older history loads on scroll, every message once and in order', async () => {
  // dave writes alice 130 messages (her tab polls them all); after a reload alice's pane starts
  // from the newest page and pages back with `before` as she scrolls up.
  await stack.api('POST', 'register', { body: { username: 'dave', password: 'dave password' } });
  const dave = await stack.api('POST', 'login', { body: { username: 'dave', password: 'dave password' } });
  const sent = [];
  for (let i = 1; i <= 130; i++) {
    const body = `dave ${String(i).padStart(3, '0')}`;
    const r = await stack.api('POST', 'send', { token: dave.body.token, body: { to: alice.userId, body } });
    assert.equal(r.status, 200);
    sent.push(body);
  }
  await alice.page.locator('#conversations button', { hasText: 'dave' }).locator('.conv-last', { hasText: 'dave 130' }).waitFor();
  await alice.page.reload();
  await alice.waitOnline();
  await alice.openConversation('dave');
  await alice.page.locator('#messages li.msg .body', { hasText: 'dave 130' }).waitFor();
  assert.ok((await alice.bodies()).length < 130, 'the first page is not the whole history');
  for (let i = 0; i < 10 && (await alice.page.locator('#history-state').textContent()) !== 'Start of the conversation'; i++) {
    await alice.page.locator('#scroller').evaluate((s) => { s.scrollTop = 0; s.dispatchEvent(new Event('scroll')); });
    await alice.page.waitForFunction(() => document.getElementById('history-state').textContent !== 'Loading…');
  }
  assert.deepEqual(await alice.bodies(), sent);
  await alice.openConversation('bob');
});

scenario('read marks: ✓ once delivered, ✓✓ once read', async () => {
  // bob looks at another conversation (carol writes to him), so alice's next message reaches
  // his tab without being read.
  const carol = await stack.api('POST', 'register', { body: { username: 'carol', password: 'carol password' } });
  assert.equal(carol.status, 201);
  const login = await stack.api('POST', 'login', { body: { username: 'carol', password: 'carol password' } });
  await stack.api('POST', 'send', { token: login.body.token, body: { to: bob.userId, body: 'hi bob, carol here' } });
  await bob.openConversation('carol');
  await bob.expectMessages(['hi bob, carol here']);
  await alice.send('did you read this?');
  const mark = alice.page.locator('#messages li.msg.mine').last().locator('.mark');
  await alice.page.locator('#messages li.msg.mine .mark[aria-label="delivered"]').last().waitFor({ timeout: kWait });
  assert.equal(await mark.textContent(), '✓');
  assert.equal(await mark.getAttribute('aria-label'), 'delivered');
  await bob.page.locator('#conversations button', { hasText: 'alice' }).locator('.badge', { hasText: '1' }).waitFor({ timeout: kWait });
  await bob.openConversation('alice');
  await alice.page.waitForFunction(() => [...document.querySelectorAll('#messages li.msg.mine .mark')].at(-1)?.textContent === '✓✓',
    null, { timeout: kWait });
  assert.equal(await mark.getAttribute('aria-label'), 'read');
  // The README's picture (docs/img/web-app.png is a copy): alice's view with both marks.
  await alice.page.mouse.move(0, 0);
  await alice.page.screenshot({ path: join(artifacts, 'web-app.png') });
  // bob's badge is gone once he read it.
  assert.equal(await bob.page.locator('#conversations button', { hasText: 'alice' }).locator('.badge').count(), 0);
});

scenario('typing shows on the other side', async () => {
  await bob.page.type('#composer-body', 'typing a reply', { delay: 20 });
  await alice.page.waitForFunction(() => document.getElementById('typing').textContent === 'bob is typing…',
    null, { timeout: kWait });
  await bob.page.fill('#composer-body', '');
});

scenario('people are found by name and a group is made and managed with them', async () => {
  await alice.page.fill('#people-q', 'bo');
  await alice.page.locator('#people-results button', { hasText: 'bob' }).waitFor({ timeout: kWait });
  await alice.page.click('#new-group');
  await alice.page.fill('#group-name', 'ops');
  await alice.page.fill('#group-add', 'bob');
  await alice.page.click('#group-save');
  await alice.page.waitForFunction(() => document.getElementById('pane-title').textContent === '# ops', null, { timeout: kWait });
  await alice.send('welcome to ops');
  await alice.expectMessages(['welcome to ops']);
  await bob.openConversation('ops');
  await bob.expectMessages(['welcome to ops']);
  // alice (owner) makes bob an admin through the members dialog.
  await alice.page.click('#group-settings');
  const row = alice.page.locator('#group-members li', { hasText: 'bob' });
  await row.locator('button', { hasText: 'Make admin' }).click();
  await row.locator('.role', { hasText: 'admin' }).waitFor({ timeout: kWait });
  await alice.page.click('#group-form button[value="cancel"]');
});
