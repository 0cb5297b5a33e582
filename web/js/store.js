// SPDX-License-Identifier: MIT
// store.js - what the app knows: the session, conversations, and each one's messages by msg_id.
// Merging by msg_id is what lets history, poll answers, other tabs and send answers overlap
// freely: a message is shown once however many of them carried it.

const kSession = 'im.session';
const cursorKey = (uid) => `im.cursor.${uid}`;
const convsKey = (uid) => `im.convs.${uid}`;
const outboxKey = (uid) => `im.outbox.${uid}`;

// The session: sessionStorage (this tab, until it closes), or localStorage when the user
// ticked "stay signed in". Never a cookie, so no other site can make requests with it.
export const session = {
  load() {
    for (const storage of [sessionStorage, localStorage]) {
      try {
        const value = JSON.parse(storage.getItem(kSession) ?? 'null');
        if (value?.token && value.user_id) return value;
      } catch { /* a damaged entry: as if signed out */ }
    }
    return null;
  },
  save(value, stay) {
    const text = JSON.stringify(value);
    sessionStorage.setItem(kSession, text);
    if (stay) localStorage.setItem(kSession, text);
  },
  clear() {
    sessionStorage.removeItem(kSession);
    localStorage.removeItem(kSession);
  },
};

// The mailbox cursor: the last `next` this browser processed for the user, shared by its tabs.
export const cursor = {
  load(uid) {
    const value = Number(localStorage.getItem(cursorKey(uid)));
    return Number.isSafeInteger(value) && value > 0 ? value : null;
  },
  save(uid, next) { localStorage.setItem(cursorKey(uid), String(next)); },
};

function writeOutbox(uid, all) {
  try {
    if (Object.keys(all).length) localStorage.setItem(outboxKey(uid), JSON.stringify(all));
    else localStorage.removeItem(outboxKey(uid));
  } catch { /* storage full: the message still goes out from this page */ }
}

// Messages written but not yet confirmed by the server, by client_msg_id: a reload (or another
// tab) sends them again with the same client_msg_id, so they are neither lost nor doubled.
export const outbox = {
  load(uid) {
    try {
      return JSON.parse(localStorage.getItem(outboxKey(uid)) ?? '{}');
    } catch {
      return {};
    }
  },
  put(uid, message) {
    const all = outbox.load(uid);
    const { key, target, client_msg_id, from, from_name, to, group, body, created_at, failed } = message;
    all[client_msg_id] = { key, target, client_msg_id, from, from_name, to, group, body, created_at, failed };
    writeOutbox(uid, all);
  },
  drop(uid, clientMsgId) {
    const all = outbox.load(uid);
    if (!(clientMsgId in all)) return;
    delete all[clientMsgId];
    writeOutbox(uid, all);
  },
};

export const keyOf = (kind, id) => `${kind}:${id}`;

// The conversation a message belongs to, as the user `me` sees it.
export function conversationKeyOf(message, me) {
  if (message.group) return keyOf('g', message.group);
  return keyOf('u', message.from === me ? message.to : message.from);
}

export class Store {
  constructor(me) {
    this.me = me;                  // {user_id, username}
    this.conversations = new Map();  // key -> {key, kind, id, name, last, unread, read, peerRead, peerDelivered}
    this.messages = new Map();       // key -> Map(msg_id -> message)
    this.history = new Map();        // key -> {loaded, more}
    this.names = new Map([[me.user_id, me.username]]);  // user_id -> username
  }

  conversation(kind, id, name) {
    const key = keyOf(kind, id);
    let conv = this.conversations.get(key);
    if (!conv) {
      const known = name ?? (kind === 'u' ? this.names.get(id) : null);
      conv = { key, kind, id, name: known ?? `#${id}`, named: Boolean(known),
        last: null, unread: 0, read: 0, peerRead: 0, peerDelivered: 0 };
      this.conversations.set(key, conv);
    } else if (name) {
      Object.assign(conv, { name, named: true });
    }
    if (kind === 'u' && name) this.names.set(id, name);
    return conv;
  }

  // One entry of GET /im/conversations: the server's truth replaces ours.
  applyServerConversation(c) {
    const conv = c.group ? this.conversation('g', c.group, c.name) : this.conversation('u', c.with, c.name);
    // A read of ours still on its way must not bring the badge back: the marker never moves back.
    const read = Math.max(conv.read, c.read ?? 0);
    const unread = read === (c.read ?? 0) ? c.unread ?? 0
      : this.sorted(conv.key).filter((m) => m.from !== this.me.user_id && m.msg_id > read).length;
    Object.assign(conv, { unread, read,
      peerRead: Math.max(conv.peerRead, c.peer_read ?? 0),
      peerDelivered: Math.max(conv.peerDelivered, c.peer_delivered ?? 0) });
    if (c.last && (!conv.last || c.last.msg_id >= conv.last.msg_id)) conv.last = c.last;
    return conv;
  }

  // Adds a message (from history, a poll, another tab or a send answer). Returns
  // {conv, added, newest}: added is false when the message was already known; newest when it
  // is newer than the conversation's last message so far (the server's unread count, and
  // ours, already cover the older ones).
  addMessage(message) {
    if (message.from_name) this.names.set(message.from, message.from_name);
    const key = conversationKeyOf(message, this.me.user_id);
    const conv = message.group ? this.conversation('g', message.group)
        : this.conversation('u', key.slice(2) * 1, message.from === this.me.user_id ? null : message.from_name);
    let byId = this.messages.get(key);
    if (!byId) this.messages.set(key, byId = new Map());
    const added = !byId.has(message.msg_id);
    if (added) byId.set(message.msg_id, message);
    const newest = !conv.last || message.msg_id > conv.last.msg_id;
    if (newest) conv.last = message;
    return { conv, added, newest };
  }

  // The conversation's known messages, oldest first.
  sorted(key) {
    return [...(this.messages.get(key)?.values() ?? [])].sort((a, b) => a.msg_id - b.msg_id);
  }

  // Conversations, most recent activity first (those without a message last).
  list() {
    return [...this.conversations.values()].sort((a, b) => (b.last?.msg_id ?? 0) - (a.last?.msg_id ?? 0));
  }

  // Without GET /im/conversations the list lives only here: keep it for the next load.
  saveLocalList() {
    const list = this.list().slice(0, 200).map(({ key, kind, id, name, named, last, unread, read }) =>
      ({ key, kind, id, name, named, last, unread, read }));
    try {
      localStorage.setItem(convsKey(this.me.user_id), JSON.stringify(list));
    } catch { /* storage full: the list is rebuilt from what arrives */ }
  }

  loadLocalList() {
    try {
      for (const c of JSON.parse(localStorage.getItem(convsKey(this.me.user_id)) ?? '[]')) {
        Object.assign(this.conversation(c.kind, c.id, c.name), { last: c.last, unread: c.unread, read: c.read, named: c.named });
      }
    } catch { /* a damaged entry: start empty */ }
  }
}
