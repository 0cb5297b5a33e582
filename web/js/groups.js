// SPDX-License-Identifier: MIT
// groups.js - the group dialog: create a group, and for an open group its members and roles as
// API.md's Groups section allows (owner and admins add and remove, the owner sets roles), leave.
import * as view from './views.js';

const { $ } = view;

export class GroupDialog {
  constructor(chat) {
    this.chat = chat;
    this.group = null;  // the group shown (GET /im/groups/{id}), null when creating
    $('new-group').addEventListener('click', () => this.showCreate());
    $('group-settings').addEventListener('click', () => this.showGroup(chat.active));
    $('group-form').addEventListener('submit', (event) => this.onSubmit(event));
  }

  showCreate() {
    this.group = null;
    $('group-dialog-title').textContent = 'New group';
    $('group-save').textContent = 'Create';
    $('group-name').value = '';
    $('group-public').checked = false;
    $('group-add').value = '';
    this.#setEditable(true, true);
    $('group-members-box').hidden = true;
    $('group-leave').hidden = true;
    $('group-error').textContent = '';
    $('group-dialog').showModal();
  }

  async showGroup(conv) {
    $('group-error').textContent = '';
    $('group-members-box').hidden = false;
    $('group-leave').hidden = false;
    $('group-save').textContent = 'Save';
    $('group-add').value = '';
    if (!$('group-dialog').open) $('group-dialog').showModal();
    try {
      this.group = await this.chat.api.call('GET', `groups/${conv.id}`);
      await this.#probeAdmin();
    } catch (err) {
      $('group-error').textContent = err.message;
      return;
    }
    const g = this.group;
    $('group-dialog-title').textContent = `# ${g.name}`;
    $('group-name').value = g.name;
    $('group-public').checked = g.public;
    const mine = this.#myRole();
    const manages = this.chat.features.groupAdmin !== false && (mine === 'owner' || mine === 'admin');
    this.#setEditable(manages, manages);
    $('group-members').replaceChildren(...g.members.map((m) => this.#memberItem(m, mine)));
    if (this.chat.features.groupAdmin === false) $('group-error').textContent = 'This server does not offer member management yet.';
  }

  // Member management came to the API after groups: a body that is bad input by API.md
  // answers 400 (changing nothing) where it exists, 404 "No such endpoint." where not.
  async #probeAdmin() {
    if (this.chat.features.groupAdmin !== undefined) return;
    try {
      await this.chat.api.call('POST', `groups/${this.group.group_id}/members`, { body: {} });
    } catch (err) {
      this.chat.features.groupAdmin = !err.missingEndpoint;
    }
  }

  #myRole() { return this.group.members.find((m) => m.user_id === this.chat.me.user_id)?.role; }

  #setEditable(rename, add) {
    $('group-name').disabled = !rename;
    $('group-public').disabled = !rename;
    $('group-add').disabled = !add;
    $('group-save').hidden = !(rename || add);
  }

  #memberItem(member, mine) {
    const item = view.el('li', {}, view.el('span', { text: member.username }), ' ',
      member.role ? view.el('small', { class: 'role', text: member.role }) : null);
    if (this.chat.features.groupAdmin === false || member.user_id === this.chat.me.user_id) return item;
    const canRemove = mine === 'owner' || (mine === 'admin' && member.role === 'member');
    if (canRemove) item.append(' ', view.el('button', { type: 'button', class: 'link', text: 'Remove',
      onclick: () => this.#change('DELETE', `members/${member.user_id}`) }));
    if (mine === 'owner') {
      const role = member.role === 'admin' ? 'member' : 'admin';
      item.append(' ', view.el('button', { type: 'button', class: 'link', text: `Make ${role}`,
        onclick: () => this.#change('PATCH', `members/${member.user_id}`, { role }) }));
    }
    return item;
  }

  async #change(method, path, body) {
    try {
      await this.chat.api.call(method, `groups/${this.group.group_id}/${path}`, { body });
      await this.showGroup(this.chat.store.conversation('g', this.group.group_id));
    } catch (err) {
      $('group-error').textContent = err.message;
    }
  }

  async onSubmit(event) {
    event.preventDefault();
    const action = event.submitter?.value;
    if (action === 'cancel') return $('group-dialog').close();
    $('group-error').textContent = '';
    try {
      if (action === 'leave') await this.#leave();
      else if (this.group) await this.#save();
      else await this.#create();
    } catch (err) {
      $('group-error').textContent = err.message;
    }
  }

  async #create() {
    const name = $('group-name').value.trim();
    if (!name) throw new Error('A group needs a name.');
    const members = await this.#resolve($('group-add').value);
    const { group_id } = await this.chat.api.call('POST', 'groups', { body: { name, members, public: $('group-public').checked } });
    const conv = this.chat.store.conversation('g', group_id, name);
    conv.role = 'owner';
    $('group-dialog').close();
    this.chat.open(conv);
  }

  async #save() {
    const g = this.group;
    const name = $('group-name').value.trim();
    const changes = {};
    if (!$('group-name').disabled && name && name !== g.name) changes.name = name;
    if (!$('group-public').disabled && $('group-public').checked !== g.public) changes.public = $('group-public').checked;
    if (Object.keys(changes).length) await this.chat.api.call('PATCH', `groups/${g.group_id}`, { body: changes });
    const add = await this.#resolve($('group-add').value);
    if (add.length) await this.chat.api.call('POST', `groups/${g.group_id}/members`, { body: { user_ids: add } });
    if (changes.name) this.chat.store.conversation('g', g.group_id, changes.name);
    this.chat.renderList();
    await this.showGroup(this.chat.store.conversation('g', g.group_id));
  }

  // A former member can no longer read the group (403): it leaves the list too.
  async #leave() {
    await this.chat.api.call('POST', `groups/${this.group.group_id}/leave`);
    $('group-dialog').close();
    this.chat.forget(this.chat.store.conversation('g', this.group.group_id));
  }

  // "bob carol" -> their ids through GET /im/users; without that endpoint, ids typed as numbers.
  async #resolve(text) {
    const ids = [];
    for (const word of text.toLowerCase().split(/[\s,]+/).filter(Boolean)) {
      if (/^#?\d+$/.test(word)) {
        ids.push(Number(word.replace('#', '')));
        continue;
      }
      if (this.chat.features.users === false) throw new Error('This server cannot look names up: give user ids (#12).');
      const { users } = await this.chat.api.call('GET', 'users', { query: { prefix: word, limit: 1 } });
      if (users[0]?.username !== word) throw new Error(`Nobody is called ${word}.`);
      ids.push(users[0].user_id);
    }
    return ids;
  }
}
