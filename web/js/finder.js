// SPDX-License-Identifier: MIT
// finder.js - finding people and words: the name lookup (GET /im/users), the online list
// (GET /im/online) and message search (GET /im/search), each opening a conversation.
import * as view from './views.js';

const { $ } = view;
const kLookupDelayMs = 250;
const kOnlineEveryMs = 20000;
const kSearchPage = 20;
const kUsernamePrefix = /^[a-z0-9_]{1,32}$/;

export class Finder {
  constructor(chat) {
    this.chat = chat;
    this.lookupTimer = null;
    this.lookupSeq = 0;
    this.search = null;  // {q, scope, before, conv}
  }

  start() {
    $('people-q').addEventListener('input', () => {
      clearTimeout(this.lookupTimer);
      this.lookupTimer = setTimeout(() => this.lookup(), kLookupDelayMs);
    });
    $('people-form').addEventListener('submit', (event) => { event.preventDefault(); this.lookup(); });
    $('search-form').addEventListener('submit', (event) => { event.preventDefault(); this.startSearch(); });
    $('search-more').addEventListener('click', () => this.searchPage());
    $('search-close').addEventListener('click', () => { $('search-results').hidden = true; });
    this.refreshOnline();
    this.onlineTimer = setInterval(() => this.refreshOnline(), kOnlineEveryMs);
  }

  async lookup() {
    const prefix = $('people-q').value.trim().toLowerCase();
    const results = $('people-results');
    const seq = ++this.lookupSeq;  // answers may come back out of order: show the latest only
    if (!prefix) return results.replaceChildren();
    if (!kUsernamePrefix.test(prefix)) {
      return results.replaceChildren(view.el('li', { class: 'hint', text: 'Usernames use a-z, 0-9 and _.' }));
    }
    try {
      const { users } = await this.chat.api.call('GET', 'users', { query: { prefix, limit: 10 } });
      if (seq !== this.lookupSeq) return;
      results.replaceChildren(...users.map((u) => view.personItem(u, (user) => this.openUser(user),
        u.user_id === this.chat.me.user_id ? 'you' : null)));
      if (!users.length) results.append(view.el('li', { class: 'hint', text: 'Nobody by that name.' }));
    } catch (err) {
      if (seq !== this.lookupSeq) return;
      if (err.missingEndpoint) {
        this.chat.features.users = false;
        return view.applyFeatures(this.chat.features);
      }
      results.replaceChildren(view.el('li', { class: 'hint', text: err.message }));
    }
  }

  openUser(user) {
    $('people-q').value = '';
    $('people-results').replaceChildren();
    this.chat.openUser(user);
    $('composer-body').focus();
  }

  async refreshOnline() {
    try {
      const { users } = await this.chat.api.call('GET', 'online');
      const others = users.filter((u) => u.user_id !== this.chat.me.user_id);
      for (const u of others) this.chat.store.names.set(u.user_id, u.username);
      $('online').replaceChildren(...others.map((u) => view.personItem(u, (user) => this.openUser(user))));
      if (!others.length) $('online').append(view.el('li', { class: 'hint', text: 'Nobody else right now.' }));
    } catch {
      // The poller's banner already says when the server is away.
    }
  }

  startSearch() {
    const q = $('search-q').value.trim();
    if (!q) return;
    const conv = $('search-here').checked ? this.chat.active : null;
    this.search = { q, conv, before: null };
    $('search-list').replaceChildren();
    $('search-results').hidden = false;
    this.searchPage();
  }

  async searchPage() {
    const search = this.search;
    if (!search) return;
    const query = { q: search.q, limit: kSearchPage, before: search.before };
    if (search.conv) query[search.conv.kind === 'g' ? 'group' : 'with'] = search.conv.id;
    try {
      const { messages, more } = await this.chat.api.call('GET', 'search', { query });
      if (search !== this.search) return;
      const { store, me } = this.chat;
      for (const m of messages) {
        const mine = m.from === me.user_id;
        const conv = m.group ? store.conversation('g', m.group) : store.conversation('u', mine ? m.to : m.from, mine ? null : m.from_name);
        $('search-list').append(view.searchItem(m, conv.kind === 'g' ? `# ${conv.name}` : conv.name, () => this.chat.open(conv)));
        search.before = search.before === null ? m.msg_id : Math.min(search.before, m.msg_id);
      }
      if (!messages.length && search.before === null) $('search-list').append(view.el('li', { class: 'hint', text: 'No message matches.' }));
      $('search-more').hidden = !more;
    } catch (err) {
      if (err.missingEndpoint) {
        this.chat.features.search = false;
        view.applyFeatures(this.chat.features);
        $('search-results').hidden = true;
        return;
      }
      $('search-list').append(view.el('li', { class: 'hint', text: err.message }));
    }
  }
}
