// SPDX-License-Identifier: MIT
// views.js - builds the DOM from the store. Every piece of server data goes in through
// textContent or an attribute, never innerHTML: a body of `<img onerror=...>` is text.

export const $ = (id) => document.getElementById(id);

// el('li', {class: 'x', dataset: {key}}, child...): children are nodes or strings (as text).
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);  // append() makes strings Text nodes
  }
  return node;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function timeElement(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el('time', { text: '' });
  return el('time', { datetime: iso, title: dateFormat.format(date), text: timeFormat.format(date) });
}

// The mark on one of my own messages: sending, not sent, sent, delivered (✓), read (✓✓).
export function markOf(message, conv) {
  if (message.pending) return message.failed ? { text: 'not sent', label: 'not sent' } : { text: '…', label: 'sending' };
  if (!conv || conv.kind !== 'u') return { text: '', label: '' };
  if (message.msg_id <= conv.peerRead) return { text: '✓✓', label: 'read' };
  if (message.msg_id <= conv.peerDelivered) return { text: '✓', label: 'delivered' };
  return { text: '', label: 'sent' };
}

// One message of the pane. `mine` messages carry the delivery mark; a membership change is
// a one-line notice. onRetry(message) resends a failed one (same client_msg_id).
export function messageItem(message, { me, conv, showSender, onRetry }) {
  const mine = message.from === me;
  if (message.type) {
    return el('li', { class: 'notice', dataset: { id: message.msg_id } },
      el('span', { class: 'body', text: message.body }), ' ', timeElement(message.created_at));
  }
  const item = el('li', { class: mine ? 'msg mine' : 'msg', dataset: message.pending
    ? { client: message.client_msg_id } : { id: message.msg_id } });
  if (showSender && !mine) item.append(el('span', { class: 'from', text: message.from_name ?? `#${message.from}` }));
  item.append(el('p', { class: 'body', text: message.body }));
  const meta = el('span', { class: 'meta' }, timeElement(message.created_at ?? new Date().toISOString()));
  if (mine) {
    const mark = markOf(message, conv);
    // role=img: a screen reader says the label ("read"), not "check mark check mark".
    meta.append(' ', el('span', { class: 'mark', role: mark.label ? 'img' : null, 'aria-label': mark.label || null, title: mark.label || null, text: mark.text }));
    if (message.failed) meta.append(' ', el('button', { type: 'button', class: 'link', onclick: () => onRetry(message), text: 'Retry' }));
  }
  item.append(meta);
  return item;
}

// Updates the marks of my messages in place (a read event must not rebuild the pane).
export function refreshMarks(list, store, conv) {
  for (const node of list.querySelectorAll('li.msg.mine[data-id] .mark')) {
    const message = store.messages.get(conv.key)?.get(Number(node.closest('li').dataset.id));
    if (!message) continue;
    const mark = markOf(message, conv);
    node.textContent = mark.text;
    node.setAttribute('aria-label', mark.label);
    node.title = mark.label;
  }
}

function preview(conv, me) {
  if (!conv.last) return '';
  const who = conv.last.from === me ? 'You: ' : conv.kind === 'g' && conv.last.from_name && !conv.last.type
    ? `${conv.last.from_name}: ` : '';
  return who + conv.last.body;
}

export function conversationItem(conv, { me, active, onOpen }) {
  const unread = conv.unread > 0 ? el('span', { class: 'badge', 'aria-label': `${conv.unread} unread`, text: String(conv.unread) }) : null;
  const button = el('button', { type: 'button', class: 'conv', 'aria-current': active ? 'true' : null, onclick: () => onOpen(conv) },
    el('span', { class: 'conv-name', text: (conv.kind === 'g' ? '# ' : '') + conv.name }),
    unread,
    el('span', { class: 'conv-last', text: preview(conv, me) }));
  return el('li', { dataset: { key: conv.key } }, button);
}

export function personItem(user, onOpen, extra) {
  return el('li', {}, el('button', { type: 'button', class: 'person', onclick: () => onOpen(user) },
    el('span', { text: user.username }), extra ? el('small', { text: extra }) : null));
}

export function searchItem(message, convName, onOpen) {
  return el('li', { class: 'msg found' },
    el('button', { type: 'button', class: 'link from', onclick: onOpen, text: convName }),
    el('span', { class: 'from', text: message.from_name ?? '' }),
    el('p', { class: 'body', text: message.body }),
    el('span', { class: 'meta' }, timeElement(message.created_at)));
}

// Shows every element whose data-feature names a feature the server lacks as hidden.
export function applyFeatures(features) {
  for (const node of document.querySelectorAll('[data-feature]')) {
    node.hidden = features[node.dataset.feature] === false;
  }
}

const kStatusText = {
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting',
  offline: 'You are offline. Messages will arrive when the connection is back.',
};

// The banner: nothing while online; otherwise what is wrong and when the next try is.
export function showStatus(state, retryAt) {
  const banner = $('status');
  banner.hidden = state === 'online';
  banner.dataset.state = state;
  let text = kStatusText[state] ?? '';
  if (state === 'reconnecting' && retryAt) {
    const seconds = Math.max(0, Math.round((retryAt - Date.now()) / 1000));
    text += seconds > 0 ? ` in ${seconds} s…` : '…';
  }
  $('status-text').textContent = text;
  $('status-retry').hidden = state !== 'reconnecting' && state !== 'offline';
}
