// SPDX-License-Identifier: MIT
// chat.js - the signed-in app: conversation list, the open conversation's pane (history on
// scroll), the composer, read marks and typing. The flow: start() loads the conversations and
// starts the Poller; its batches and the send answers all go through the Store (merged by
// msg_id), then into the DOM through views.js.
import { newClientMsgId } from './api.js';
import { Poller, backoffMs } from './poller.js';
import { Store, keyOf, cursor, outbox } from './store.js';
import { Marks } from './marks.js';
import * as view from './views.js';

const { $ } = view;
const kHistoryPage = 50;
const kTypingEveryMs = 2500;   // the server passes on one typing event per 3 s anyway
const kTypingShownMs = 6000;
const kSendTries = 5;

export class Chat {
  // features: name -> false when the server lacks the endpoint (see main.js probe()).
  constructor(api, me, features, { onSignedOut }) {
    this.api = api;
    this.me = me;
    this.features = features;
    this.onSignedOut = onSignedOut;
    this.store = new Store(me);
    this.marks = new Marks(this);
    this.active = null;
    this.pending = new Map();  // client_msg_id -> my message not yet confirmed by the server
    this.sends = Promise.resolve();  // one send at a time: the server orders them as written
    this.lastTypingSent = 0;
    this.typingTimer = null;
  }

  async start(loginNext) {
    await this.loadConversations();
    this.renderList();
    this.resumeOutbox();
    const open = sessionStorage.getItem(`im.open.${this.me.user_id}`);
    const conv = open && this.store.conversations.get(open);
    if (conv) this.open(conv);
    this.poller = new Poller(this.api, this.me.user_id, cursor.load(this.me.user_id) ?? loginNext ?? 0, {
      onBatch: (batch) => this.onBatch(batch),
      onState: (state, retryAt) => view.showStatus(state, retryAt),
      onUnauthorized: () => this.onSignedOut(),
    });
    this.poller.start();
    $('status-retry').onclick = () => this.poller.retryNow();
    document.addEventListener('visibilitychange', this.onVisible = () => this.marks.markRead());
  }

  stop() {
    this.poller?.stop();
    this.marks.stop();
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  // The server's list when it has GET /im/conversations; else what this browser kept, plus
  // the groups (their names and the ones without a message yet).
  async loadConversations() {
    if (this.features.conversations !== false) {
      try {
        const { conversations } = await this.api.call('GET', 'conversations', { query: { limit: 200 } });
        conversations.forEach((c) => this.store.applyServerConversation(c));
        return;
      } catch (err) {
        if (!err.missingEndpoint) throw err;
        this.features.conversations = false;
      }
    }
    this.store.loadLocalList();
    await this.loadGroups();
  }

  async loadGroups() {
    const { groups } = await this.api.call('GET', 'groups');
    for (const g of groups) this.store.conversation('g', g.group_id, g.name).role = g.role;
  }

  renderList() {
    const list = $('conversations');
    const focused = document.activeElement?.closest?.('#conversations li')?.dataset.key;
    list.replaceChildren(...this.store.list().map((conv) => view.conversationItem(conv, {
      me: this.me.user_id, active: conv === this.active, onOpen: (c) => this.open(c) })));
    if (focused) list.querySelector(`li[data-key="${focused}"] button`)?.focus();
    const unread = this.store.list().reduce((sum, c) => sum + c.unread, 0);
    document.title = unread ? `(${unread}) im` : 'im';
    if (this.features.conversations === false) this.store.saveLocalList();
  }

  // Opens a direct conversation with a user found by name or in the online list.
  openUser(user) { this.open(this.store.conversation('u', user.user_id, user.username)); }

  open(conv) {
    this.active = conv;
    sessionStorage.setItem(`im.open.${this.me.user_id}`, conv.key);
    $('pane-title').textContent = conv.kind === 'g' ? `# ${conv.name}` : conv.name;
    $('group-settings').hidden = conv.kind !== 'g';
    $('composer').hidden = false;
    $('typing').textContent = '';
    $('messages').replaceChildren();
    this.store.sorted(conv.key).forEach((m) => this.place(m));
    [...this.pending.values()].filter((m) => m.key === conv.key).forEach((m) => this.place(m));
    this.scrollToEnd();
    this.renderList();
    this.loadHistory(conv).then(() => this.marks.markRead());
    this.marks.watch();
  }

  // One page of older messages; the first call omits `before` (the newest page).
  async loadHistory(conv) {
    const state = this.store.history.get(conv.key) ?? { oldest: null, more: true, loading: false };
    this.store.history.set(conv.key, state);
    if (state.loading || !state.more) return;
    state.loading = true;
    $('history-state').textContent = 'Loading…';
    try {
      const query = { [conv.kind === 'g' ? 'group' : 'with']: conv.id, limit: kHistoryPage, before: state.oldest };
      const { messages, more } = await this.api.call('GET', 'history', { query });
      const scroller = $('scroller');
      const fromBottom = scroller.scrollHeight - scroller.scrollTop;
      for (const m of messages) {
        state.oldest = state.oldest === null ? m.msg_id : Math.min(state.oldest, m.msg_id);
        if (this.store.addMessage(m).added && conv === this.active) this.place(m);
      }
      state.more = more;
      if (conv === this.active) scroller.scrollTop = scroller.scrollHeight - fromBottom;
    } catch (err) {
      $('history-state').textContent = `History could not be loaded: ${err.message}`;
      return;
    } finally {
      state.loading = false;
    }
    $('history-state').textContent = state.more ? '' : 'Start of the conversation';
    this.renderList();
    // A short first page leaves nothing to scroll: fetch the next one now.
    const scroller = $('scroller');
    if (conv === this.active && state.more && scroller.scrollHeight <= scroller.clientHeight) await this.loadHistory(conv);
  }

  onScroll() {
    if (this.active && $('scroller').scrollTop < 80) this.loadHistory(this.active);
  }

  // Puts one message in the open pane: replaces its node if shown, else inserts it in msg_id
  // order (pending ones stay last, in the order they were written).
  place(message) {
    const list = $('messages');
    const near = this.nearEnd();
    const node = view.messageItem(message, { me: this.me.user_id, conv: this.active,
      showSender: this.active.kind === 'g', onRetry: (m) => this.retry(m) });
    const existing = message.pending ? list.querySelector(`li[data-client="${CSS.escape(message.client_msg_id)}"]`)
        : list.querySelector(`li[data-id="${message.msg_id}"]`);
    if (existing) return existing.replaceWith(node);
    let after = list.lastElementChild;
    if (!message.pending) {
      while (after && (after.dataset.client || Number(after.dataset.id) > message.msg_id)) after = after.previousElementSibling;
    }
    after ? after.after(node) : list.prepend(node);
    if (near || message.from === this.me.user_id) this.scrollToEnd();
  }

  nearEnd() {
    const s = $('scroller');
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  scrollToEnd() { const s = $('scroller'); s.scrollTop = s.scrollHeight; }

  // A poll answer, from this tab's poller or another tab's.
  onBatch({ messages, events }) {
    for (const m of messages) this.onMessage(m);
    for (const e of events) this.onEvent(e);
    if (messages.length) {
      this.renderList();
      this.marks.markRead();
      this.marks.watch();
    }
  }

  onMessage(m) {
    const { conv, added, newest } = this.store.addMessage(m);
    const mine = m.from === this.me.user_id;
    if (mine && m.client_msg_id && this.pending.has(m.client_msg_id)) this.confirm(this.pending.get(m.client_msg_id), m);
    if (!added) return;
    if (!conv.named && conv.kind === 'g') this.loadGroups().then(() => this.renderList()).catch(() => {});
    const seen = conv === this.active && document.visibilityState === 'visible';
    if (!mine && newest && m.msg_id > conv.read && !seen) conv.unread += 1;
    if (conv === this.active) {
      this.place(m);
      if (!mine) $('typing').textContent = '';
    }
  }

  onEvent(e) {
    const conv = this.store.conversations.get(e.group ? keyOf('g', e.group) : keyOf('u', e.with));
    if (!conv) return;
    if (e.type === 'read') this.marks.onReadEvent(conv, e);
    if (e.type === 'typing' && e.from !== this.me.user_id && conv === this.active) {
      const who = conv.kind === 'u' ? conv.name : this.store.names.get(e.from) ?? 'Someone';
      $('typing').textContent = `${who} is typing…`;
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => { $('typing').textContent = ''; }, kTypingShownMs);
    }
  }

  // The composer: one client_msg_id per message, kept across retries, so a send whose
  // answer was lost and is sent again is stored once.
  async send(body) {
    const conv = this.active;
    if (!conv || !body.trim()) return;
    const target = conv.kind === 'g' ? { group: conv.id } : { to: conv.id };
    const message = { pending: true, key: conv.key, target, client_msg_id: newClientMsgId(), from: this.me.user_id,
      from_name: this.me.username, ...target, body, created_at: new Date().toISOString() };
    this.pending.set(message.client_msg_id, message);
    outbox.put(this.me.user_id, message);
    this.place(message);
    await this.enqueue(message);
  }

  // What was written before a reload (or in another tab) and not confirmed goes out again.
  resumeOutbox() {
    const written = Object.values(outbox.load(this.me.user_id)).sort((a, b) => a.created_at.localeCompare(b.created_at));
    for (const saved of written) {
      const message = { ...saved, pending: true };
      const [kind, id] = [message.key.slice(0, 1), Number(message.key.slice(2))];
      this.store.conversation(kind, id);
      this.pending.set(message.client_msg_id, message);
      if (!message.failed) this.enqueue(message);
    }
  }

  // Two sends in flight at once could be committed in either order; one after the other, the
  // conversation reads as it was written.
  enqueue(message) {
    this.sends = this.sends.then(() => this.deliver(message)).catch(() => {});  // the next one goes regardless
    return this.sends;
  }

  async deliver(message) {
    for (let attempt = 1; this.pending.has(message.client_msg_id); attempt++) {
      try {
        const answer = await this.api.call('POST', 'send', { body: { ...message.target, body: message.body, client_msg_id: message.client_msg_id } });
        return this.confirm(message, { ...message, pending: false, failed: false, msg_id: answer.msg_id, created_at: answer.created_at });
      } catch (err) {
        if (err.status === 401) return this.onSignedOut();
        if (!err.transient || attempt >= kSendTries) return this.fail(message, err);
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, err.retryAfter)));
      }
    }
  }

  retry(message) {
    message.failed = false;
    outbox.put(this.me.user_id, message);
    this.pending.set(message.client_msg_id, message);
    if (message.key === this.active?.key) this.place(message);
    this.enqueue(message);
  }

  fail(message, err) {
    message.failed = true;
    message.error = err.message;
    outbox.put(this.me.user_id, message);
    if (message.key === this.active?.key) this.place(message);
    $('typing').textContent = `Not sent: ${err.message}`;
  }

  // The server has my message (send answer or poll): the pending node becomes the real one.
  confirm(pending, stored) {
    this.pending.delete(pending.client_msg_id);
    outbox.drop(this.me.user_id, pending.client_msg_id);
    const { pending: _p, failed: _f, key: _k, target: _t, error: _e, ...clean } = stored;
    const { conv, added } = this.store.addMessage(clean);
    if (conv === this.active) {
      $('messages').querySelector(`li[data-client="${CSS.escape(pending.client_msg_id)}"]`)?.remove();
      if (added || !$('messages').querySelector(`li[data-id="${clean.msg_id}"]`)) this.place(this.store.messages.get(conv.key).get(clean.msg_id));
    }
    this.renderList();
    this.marks.watch();
  }

  // While typing: at most one POST /im/typing per kTypingEveryMs.
  typing() {
    if (!this.active || this.features.typing === false || Date.now() - this.lastTypingSent < kTypingEveryMs) return;
    this.lastTypingSent = Date.now();
    const body = this.active.kind === 'g' ? { group: this.active.id } : { to: this.active.id };
    this.api.call('POST', 'typing', { body }).catch((err) => {
      if (err.missingEndpoint) this.features.typing = false;
    });
  }
}
