// SPDX-License-Identifier: MIT
// PollerTest.mjs - web/js/poller.js: the cursor, the back-off, and what ends the loop, against a
// scripted stand-in for the app's own Api client (the browser globals it needs are stubbed).
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { ApiError } from '../../../web/js/api.js';
import { Poller, backoffMs } from '../../../web/js/poller.js';

const storage = new Map();
globalThis.localStorage = {
  getItem: (k) => (storage.has(k) ? storage.get(k) : null),
  setItem: (k, v) => storage.set(k, String(v)),
  removeItem: (k) => storage.delete(k),
};
globalThis.window = new EventTarget();
Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true });  // no Web Locks: polls alone

beforeEach(() => storage.clear());

// answers: one function per poll, (query) -> {data, retryAfter} or throws. Resolves with the
// queries made once the script is used up (the poller is then stopped).
function run(answers, { initialSince = 0, onState } = {}) {
  return new Promise((resolve) => {
    const queries = [];
    const batches = [];
    let poller;
    const api = {
      async exchange(method, path, { query }) {
        assert.equal(`${method} ${path}`, 'GET poll');
        queries.push({ ...query });
        const answer = answers.shift();
        if (!answer) {
          poller.stop();
          resolve({ queries, batches });
          return new Promise(() => {});
        }
        return answer(query);
      },
    };
    poller = new Poller(api, 7, initialSince, {
      onBatch: (b) => batches.push({ batch: b, savedBefore: localStorage.getItem('im.cursor.7') }),
      onState: (state) => { onState?.(state, poller); },
      onUnauthorized: () => { poller.stop(); resolve({ queries, batches, unauthorized: true }); },
    });
    poller.start();
  });
}

const ok = (messages, next) => () => ({ data: { messages, next, events: [] }, retryAfter: null });

test('polls from the saved cursor, short first, then long with each next', async () => {
  localStorage.setItem('im.cursor.7', '4');
  const { queries, batches } = await run([ok([{ seq: 5, msg_id: 50 }], 5), ok([], 5), ok([{ seq: 6, msg_id: 51 }], 6)]);
  assert.deepEqual(queries.map((q) => [q.since, q.timeout]), [[4, 0], [5, 30], [5, 30], [6, 30]]);
  assert.equal(batches.length, 2, 'an empty answer is no batch');
  assert.equal(batches[0].savedBefore, '4', 'the cursor moves only after the batch was handed over');
  assert.equal(localStorage.getItem('im.cursor.7'), '6');
});

test('without a saved cursor it starts at the given one (login\'s next)', async () => {
  const { queries } = await run([ok([], 12)], { initialSince: 12 });
  assert.equal(queries[0].since, 12);
});

test('an error backs off, says so, and the next poll is short again from the same cursor', async () => {
  const states = [];
  const { queries } = await run([ok([], 3), () => { throw new ApiError(503, 'unavailable', 'down', 1); }, ok([], 3)], {
    initialSince: 3,
    onState: (state, poller) => { states.push(state); if (state === 'reconnecting') poller.retryNow(); },
  });
  assert.deepEqual(queries.map((q) => [q.since, q.timeout]), [[3, 0], [3, 30], [3, 0], [3, 30]]);
  assert.ok(states.includes('reconnecting'));
  assert.equal(states.at(-1), 'online');
});

test('a cursor above the mailbox (400) starts over from 0', async () => {
  const { queries } = await run([() => { throw new ApiError(400, 'bad_request', 'since is above 3'); }, ok([], 0)], {
    initialSince: 9,
    onState: (state, poller) => { if (state === 'reconnecting') poller.retryNow(); },
  });
  assert.deepEqual(queries.map((q) => q.since), [9, 0, 0]);
});

test('401 ends the loop and signs out', async () => {
  const { unauthorized } = await run([() => { throw new ApiError(401, 'unauthorized', 'revoked'); }]);
  assert.equal(unauthorized, true);
});

test('back-off: full jitter under a doubling ceiling capped at 30 s, never below Retry-After', () => {
  assert.equal(backoffMs(1, null, () => 0.999), 1998);
  assert.equal(backoffMs(3, null, () => 0.5), 4000);
  assert.equal(backoffMs(40, null, () => 0.999), 29970);
  assert.equal(backoffMs(1, null, () => 0), 0);
  assert.equal(backoffMs(1, 5, () => 0), 5000, 'Retry-After: 5');
});
