// SPDX-License-Identifier: MIT
// main.js - boots the web client: restores or asks for a session, learns which endpoints the
// server has, then hands over to Chat (and its people, search and group panels).
import { Api } from './api.js';
import { Chat } from './chat.js';
import { Finder } from './finder.js';
import { GroupDialog } from './groups.js';
import { backoffMs } from './poller.js';
import { session } from './store.js';
import { $, applyFeatures, showStatus } from './views.js';

const api = new Api('/im/');
let chat = null;

// Endpoints a server may not have yet (API.md grew them later). A request that is bad input
// by API.md (an empty prefix, an empty body) answers 400 and changes nothing where the
// endpoint exists, and 404 "No such endpoint." where it does not.
const kProbes = {
  users: ['GET', 'users', { query: { prefix: '' } }],
  search: ['GET', 'search', { query: { q: '' } }],
  read: ['POST', 'read', { body: {} }],
  typing: ['POST', 'typing', { body: {} }],
};

async function probe() {
  const features = {};
  await Promise.all(Object.entries(kProbes).map(async ([name, [method, path, options]]) => {
    try {
      await api.call(method, path, options);
    } catch (err) {
      if (err.missingEndpoint) features[name] = false;
    }
  }));
  return features;
}

function showLogin(message = '') {
  $('chat-view').hidden = true;
  $('login-view').hidden = false;
  $('status').hidden = true;
  $('login-error').textContent = message;
  $('login-username').focus();
}

async function enter(me, loginNext) {
  api.token = me.token;
  const features = await probe();
  applyFeatures(features);
  $('me').textContent = me.username;
  $('login-view').hidden = true;
  $('chat-view').hidden = false;
  const next = new Chat(api, me, features, { onSignedOut: () => signOut('Your session ended; please sign in again.', false) });
  await next.start(loginNext);  // throws before it starts anything if the server is not there
  chat = next;
  new Finder(chat).start();
  new GroupDialog(chat);
}

async function signOut(message, revoke) {
  chat?.stop();
  chat = null;
  if (revoke) await api.call('POST', 'logout').catch(() => {});
  api.token = null;
  session.clear();
  // A fresh page: no listener or timer of the old session survives.
  sessionStorage.setItem('im.notice', message);
  location.reload();
}

function loginError(err, registering) {
  if (err.status === 409) return 'That username is taken.';
  if (err.status === 429) return `Too many attempts; try again in ${err.retryAfter ?? 'a few'} seconds.`;
  if (err.status === 400 && registering) return `${err.message} Usernames are 3-32 of a-z, 0-9 and _; passwords 8-128 bytes.`;
  return err.message;
}

async function onLogin(event) {
  event.preventDefault();
  const form = event.target;
  const registering = event.submitter?.value === 'register';
  const username = form.username.value.trim().toLowerCase();
  const password = form.password.value;
  $('login-error').textContent = '';
  for (const button of form.querySelectorAll('button')) button.disabled = true;
  try {
    if (registering) await api.call('POST', 'register', { body: { username, password } });
    const answer = await api.call('POST', 'login', { body: { username, password, device: 'web' } });
    const me = { token: answer.token, user_id: answer.user_id, username: answer.username };
    session.save(me, form.stay.checked);
    form.password.value = '';
    await enter(me, answer.next);
  } catch (err) {
    $('login-error').textContent = loginError(err, registering);
  } finally {
    for (const button of form.querySelectorAll('button')) button.disabled = false;
  }
}

function wire() {
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', () => signOut('', true));
  $('scroller').addEventListener('scroll', () => chat?.onScroll(), { passive: true });
  const body = $('composer-body');
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = body.value;
    body.value = '';
    chat?.send(text);
    body.focus();
  });
  body.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('composer').requestSubmit();
    }
  });
  body.addEventListener('input', () => chat?.typing());
}

async function boot() {
  wire();
  const notice = sessionStorage.getItem('im.notice');
  sessionStorage.removeItem('im.notice');
  const saved = session.load();
  if (!saved) return showLogin(notice ?? '');
  // A reload while the server is away: keep trying, saying so, as the poller would.
  for (let failures = 1; ; failures++) {
    try {
      return await enter(saved, null);
    } catch (err) {
      if (err.status === 401) return signOut('Your session ended; please sign in again.', false);
      const delay = backoffMs(failures, err.retryAfter);
      showStatus(navigator.onLine === false ? 'offline' : 'reconnecting', Date.now() + delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

boot();
