// SPDX-License-Identifier: MIT
// sender.js - the composer's side of POST /im/send: one client_msg_id per message, kept across
// retries and reloads (the outbox), so a send whose answer was lost is stored once; one send at
// a time, so the conversation is committed in the order it was written.
import { newClientMsgId } from './api.js';
import { backoffMs } from './poller.js';
import { outbox } from './store.js';
import { $ } from './views.js';

const kSendTries = 5;

export class Sender {
  constructor(chat) {
    this.chat = chat;
    this.uid = chat.me.user_id;
    this.pending = new Map();        // client_msg_id -> my message the server has not confirmed
    this.queue = Promise.resolve();  // the sends, one after the other
  }

  pendingIn(key) { return [...this.pending.values()].filter((m) => m.key === key); }

  send(conv, body) {
    const target = conv.kind === 'g' ? { group: conv.id } : { to: conv.id };
    const message = { pending: true, key: conv.key, target, client_msg_id: newClientMsgId(), from: this.uid,
      from_name: this.chat.me.username, ...target, body, created_at: new Date().toISOString() };
    this.pending.set(message.client_msg_id, message);
    outbox.put(this.uid, message);
    this.chat.place(message);
    return this.#enqueue(message);
  }

  // What was written before a reload (or in another tab) and not confirmed goes out again.
  resume() {
    const written = Object.values(outbox.load(this.uid)).sort((a, b) => a.created_at.localeCompare(b.created_at));
    for (const saved of written) {
      const message = { ...saved, pending: true };
      this.chat.store.conversation(message.key.slice(0, 1), Number(message.key.slice(2)));
      this.pending.set(message.client_msg_id, message);
      if (!message.failed) this.#enqueue(message);
    }
  }

  retry(message) {
    message.failed = false;
    outbox.put(this.uid, message);
    this.pending.set(message.client_msg_id, message);
    this.#show(message);
    this.#enqueue(message);
  }

  // A poll brought one of my messages: if it is one still pending here, it is confirmed.
  confirmedByPoll(stored) {
    const message = this.pending.get(stored.client_msg_id);
    if (message) this.#confirm(message, stored);
  }

  #enqueue(message) {
    this.queue = this.queue.then(() => this.#deliver(message)).catch(() => {});  // the next one goes regardless
    return this.queue;
  }

  async #deliver(message) {
    const { api } = this.chat;
    for (let attempt = 1; this.pending.has(message.client_msg_id); attempt++) {
      try {
        const answer = await api.call('POST', 'send', { body: { ...message.target, body: message.body, client_msg_id: message.client_msg_id } });
        return this.#confirm(message, { ...message, msg_id: answer.msg_id, created_at: answer.created_at });
      } catch (err) {
        if (err.status === 401) return this.chat.onSignedOut();
        if (!err.transient || attempt >= kSendTries) return this.#fail(message, err);
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, err.retryAfter)));
      }
    }
  }

  #fail(message, err) {
    message.failed = true;
    message.error = err.message;
    outbox.put(this.uid, message);
    this.#show(message);
    $('typing').textContent = `Not sent: ${err.message}`;
  }

  #show(message) {
    if (message.key === this.chat.active?.key) this.chat.place(message);
  }

  // The server has my message (send answer or poll): the pending node becomes the real one.
  #confirm(message, stored) {
    const { chat } = this;
    this.pending.delete(message.client_msg_id);
    outbox.drop(this.uid, message.client_msg_id);
    const { pending: _p, failed: _f, key: _k, target: _t, error: _e, ...clean } = stored;
    const { conv } = chat.store.addMessage(clean);
    if (conv === chat.active) {
      $('messages').querySelector(`li[data-client="${CSS.escape(message.client_msg_id)}"]`)?.remove();
      chat.place(chat.store.messages.get(conv.key).get(clean.msg_id));
    }
    chat.renderList();
    chat.marks.watch();
  }
}
