// SPDX-License-Identifier: MIT
// StoreTest.mjs - web/js/store.js: messages from every source merge by msg_id; unread counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store, conversationKeyOf, outbox } from '../../../web/js/store.js';

const storage = new Map();
globalThis.localStorage = {
  getItem: (k) => (storage.has(k) ? storage.get(k) : null),
  setItem: (k, v) => storage.set(k, String(v)),
  removeItem: (k) => storage.delete(k),
};

const me = { user_id: 1, username: 'alice' };
const msg = (msg_id, from, to, body = `m${msg_id}`) => ({ msg_id, from, to, from_name: from === 1 ? 'alice' : 'bob', body, created_at: '2026-12-01T10:00:00.000Z' });

test('a direct message belongs to the other user, whichever way it went', () => {
  assert.equal(conversationKeyOf(msg(1, 1, 2), 1), 'u:2');
  assert.equal(conversationKeyOf(msg(2, 2, 1), 1), 'u:2');
  assert.equal(conversationKeyOf({ ...msg(3, 2, 1), to: undefined, group: 7 }, 1), 'g:7');
  assert.equal(conversationKeyOf(msg(4, 1, 1), 1), 'u:1', 'a note to self');
});

test('the same message from history, a poll and another tab is kept once', () => {
  const store = new Store(me);
  assert.equal(store.addMessage(msg(5, 2, 1)).added, true);
  assert.equal(store.addMessage({ ...msg(5, 2, 1), seq: 9 }).added, false);
  store.addMessage(msg(3, 1, 2));
  store.addMessage(msg(4, 2, 1));
  assert.deepEqual(store.sorted('u:2').map((m) => m.msg_id), [3, 4, 5]);
  assert.equal(store.conversations.get('u:2').name, 'bob');
  assert.equal(store.conversations.get('u:2').last.msg_id, 5);
});

test('only a message newer than the conversation\'s last one is news', () => {
  const store = new Store(me);
  store.applyServerConversation({ with: 2, name: 'bob', last: msg(10, 2, 1), unread: 2, read: 8 });
  assert.equal(store.addMessage(msg(9, 2, 1)).newest, false, 'counted by the server already');
  assert.equal(store.addMessage(msg(11, 2, 1)).newest, true);
});

test('a server list older than our own read keeps the read and recounts', () => {
  const store = new Store(me);
  store.addMessage(msg(10, 2, 1));
  store.addMessage(msg(11, 2, 1));
  const conv = store.conversation('u', 2);
  conv.read = 11;
  store.applyServerConversation({ with: 2, name: 'bob', last: msg(11, 2, 1), unread: 2, read: 9, peer_read: 0, peer_delivered: 0 });
  assert.equal(conv.read, 11, 'a read marker never moves back');
  assert.equal(conv.unread, 0);
  store.applyServerConversation({ with: 2, name: 'bob', last: msg(11, 2, 1), unread: 0, read: 11, peer_read: 5, peer_delivered: 7 });
  store.applyServerConversation({ with: 2, name: 'bob', last: msg(11, 2, 1), unread: 0, read: 11, peer_read: 4, peer_delivered: 6 });
  assert.equal(conv.peerRead, 5, 'a lagging answer does not take a mark back');
  assert.equal(conv.peerDelivered, 7);
});

test('conversations list most recent activity first', () => {
  const store = new Store(me);
  store.addMessage(msg(1, 2, 1));
  store.addMessage({ ...msg(3, 3, 1), from_name: 'carol' });
  store.conversation('g', 7, 'ops');
  assert.deepEqual(store.list().map((c) => c.name), ['carol', 'bob', 'ops']);
});

test('the outbox keeps unconfirmed messages by client_msg_id until they are dropped', () => {
  const pending = { key: 'u:2', target: { to: 2 }, client_msg_id: 'c1', from: 1, to: 2, body: 'hi', created_at: 'x', pending: true };
  outbox.put(1, pending);
  outbox.put(1, { ...pending, client_msg_id: 'c2', failed: true });
  outbox.put(1, pending);
  assert.deepEqual(Object.keys(outbox.load(1)), ['c1', 'c2']);
  assert.equal(outbox.load(1).c1.pending, undefined, 'only what a resend needs is kept');
  assert.deepEqual(outbox.load(2), {}, 'per user');
  outbox.drop(1, 'c1');
  outbox.drop(1, 'c2');
  assert.equal(storage.has('im.outbox.1'), false, 'an empty outbox leaves nothing behind');
});
