// SPDX-License-Identifier: MIT
// marks.js - read markers: mine (POST /im/read when I see a message) and the peer's (✓ delivered,
// ✓✓ read). `read` events move them at once; as events are best effort and "delivered" has no
// event, GET /im/conversations is re-read while one of my messages still waits for its marks.
import * as view from './views.js';

const kFirstCheckMs = 1000;
const kMaxCheckMs = 15000;
const kMaxChecks = 12;  // about two minutes; a read event or a new message of mine re-arms it
const kReadDelayMs = 300;

export class Marks {
  constructor(chat) {
    this.chat = chat;
    this.checkTimer = null;
    this.checkDelay = kFirstCheckMs;
    this.checks = 0;
    this.readTimer = null;
  }

  stop() {
    clearTimeout(this.checkTimer);
    clearTimeout(this.readTimer);
  }

  // The open conversation is on screen: move my read marker to its newest message.
  markRead() {
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => this.#sendRead(), kReadDelayMs);
  }

  async #sendRead() {
    const { chat } = this;
    const conv = chat.active;
    if (!conv || document.visibilityState !== 'visible') return;
    const newest = chat.store.sorted(conv.key).at(-1);
    if (!newest || newest.msg_id <= conv.read) {
      this.#clearUnread(conv);
      return;
    }
    conv.read = newest.msg_id;
    this.#clearUnread(conv);
    if (chat.features.read === false) return;
    const body = { [conv.kind === 'g' ? 'group' : 'with']: conv.id, msg_id: newest.msg_id };
    try {
      await chat.api.call('POST', 'read', { body });
    } catch (err) {
      if (err.missingEndpoint) chat.features.read = false;
    }
  }

  #clearUnread(conv) {
    if (conv.unread === 0) return;
    conv.unread = 0;
    this.chat.renderList();
  }

  // A `read` event: the peer read (my ✓✓), or I read on another device (my unread count).
  onReadEvent(conv, event) {
    const { chat } = this;
    if (event.from === chat.me.user_id) {
      conv.read = Math.max(conv.read, event.msg_id);
      const unseen = chat.store.sorted(conv.key).some((m) => m.from !== chat.me.user_id && m.msg_id > conv.read);
      if (!unseen) this.#clearUnread(conv);
      else this.watch();
      return;
    }
    if (conv.kind !== 'u') return;
    conv.peerRead = Math.max(conv.peerRead, event.msg_id);
    conv.peerDelivered = Math.max(conv.peerDelivered, event.msg_id);  // read implies fetched
    if (conv === chat.active) view.refreshMarks(document.getElementById('messages'), chat.store, conv);
  }

  // Re-reads the server's markers while the open direct conversation has a message of mine
  // not yet read, backing off from 1 s to 15 s; a new message of mine starts again at 1 s.
  watch() {
    clearTimeout(this.checkTimer);
    this.checkDelay = kFirstCheckMs;
    this.checks = 0;
    this.#schedule();
  }

  #waiting() {
    const { chat } = this;
    const conv = chat.active;
    if (!conv || conv.kind !== 'u' || chat.features.conversations === false) return false;
    return chat.store.sorted(conv.key).some((m) => m.from === chat.me.user_id && m.msg_id > conv.peerRead);
  }

  #schedule() {
    if (!this.#waiting() || ++this.checks > kMaxChecks) return;
    this.checkTimer = setTimeout(() => this.#check(), this.checkDelay);
    this.checkDelay = Math.min(kMaxCheckMs, this.checkDelay * 2);
  }

  async #check() {
    const { chat } = this;
    try {
      const { conversations } = await chat.api.call('GET', 'conversations', { query: { limit: 200 } });
      conversations.forEach((c) => chat.store.applyServerConversation(c));
      if (chat.active) view.refreshMarks(document.getElementById('messages'), chat.store, chat.active);
      chat.renderList();
    } catch (err) {
      if (err.missingEndpoint) chat.features.conversations = false;
    }
    this.#schedule();
  }
}
