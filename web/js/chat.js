// SPDX-License-Identifier: MIT
// chat.js - the signed-in app: conversation list, the open conversation's pane (history on
// scroll) and typing; read marks in marks.js, sends in sender.js. The flow: start() loads the
// conversations and starts the Poller; its batches and the send answers all go through the
// Store (merged by msg_id), then into the DOM through views.js.
import { Poller } from './poller.js';
import { Store, keyOf, cursor } from './store.js';
import { Marks } from './marks.js';
import { Sender } from './sender.js';
import * as view from './views.js';

const { $ } = view;
const kHistoryPage = 50;
const kTypingEveryMs = 2500;   // the server passes on one typing event per 3 s anyway
const kTypingShownMs = 6000;

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
    this.sender = new Sender(this);
    this.lastTypingSent = 0;
    this.typingTimer = null;
  }

  async start(loginNext) {
    await this.loadConversations();
    this.renderList();
    this.sender.resume();
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
    this.sender.pendingIn(conv.key).forEach((m) => this.place(m));
    this.scrollToEnd();
    this.renderList();
    this.loadHistory(conv).then(() => this.marks.markRead());
    this.marks.watch();
  }

  forget(conv) {
    this.store.conversations.delete(conv.key);
    this.store.messages.delete(conv.key);
    this.store.history.delete(conv.key);
    if (this.active === conv) {
      this.active = null;
      $('pane-title').textContent = 'Pick a conversation';
      $('messages').replaceChildren();
      $('composer').hidden = true;
      $('group-settings').hidden = true;
    }
    this.renderList();
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
      showSender: this.active.kind === 'g', onRetry: (m) => this.sender.retry(m) });
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
    if (mine && m.client_msg_id) this.sender.confirmedByPoll(m);
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

  send(body) {
    if (this.active && body.trim()) return this.sender.send(this.active, body);
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
