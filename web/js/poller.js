// SPDX-License-Identifier: MIT
// poller.js - the mailbox long poll: GET /im/poll with the cursor, back-off on errors, one poller per
// user across the browser's tabs (a Web Lock elects it; the others get its answers on a BroadcastChannel).
//
// Why one poller: two tabs of one device session polling with different cursors would each
// acknowledge for the other (a poll with since=S acknowledges every entry <= S for the device).
// The cursor is saved to localStorage only after a batch was handed to the app, so a reload or
// crash re-polls at worst one batch, which the store merges away by msg_id.
import { cursor } from './store.js';

const kPollSeconds = 30;
const kBackoffBaseMs = 1000;
const kBackoffCapMs = 30000;

const sleep = (ms, signal) => new Promise((resolve) => {
  if (signal.aborted) return resolve();
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

// Full jitter (a random delay in [0, min(cap, base * 2^n)]), so clients that lost the server
// together do not come back together; never sooner than the server's Retry-After.
export function backoffMs(failures, retryAfterSeconds, random = Math.random) {
  const ceiling = Math.min(kBackoffCapMs, kBackoffBaseMs * 2 ** Math.min(failures, 16));
  return Math.max(Math.floor(random() * ceiling), (retryAfterSeconds ?? 0) * 1000);
}

export class Poller {
  // handlers: onBatch({messages, events, next}), onState(state, retryAt), onUnauthorized().
  // initialSince: where a browser with no saved cursor starts (login's `next`, else 0).
  constructor(api, uid, initialSince, handlers) {
    this.api = api;
    this.uid = uid;
    this.initialSince = initialSince;
    this.handlers = handlers;
    this.stopper = new AbortController();
    this.wake = null;  // aborting it cuts a back-off wait short
    this.leading = false;
  }

  start() {
    const { signal } = this.stopper;
    this.channel = new BroadcastChannel(`im.${this.uid}`);
    this.channel.onmessage = ({ data }) => {
      if (this.leading) {
        if (data.type === 'hello') this.channel.postMessage({ type: 'state', ...this.lastState });
        return;
      }
      if (data.type === 'batch') this.handlers.onBatch(data.batch);
      if (data.type === 'state') this.handlers.onState(data.state, data.retryAt);
    };
    // The browser knows before a request fails: say so at once and stop waiting on the poll
    // (its cursor was not moved, so nothing is lost); try again as soon as it is back.
    window.addEventListener('online', () => this.retryNow(), { signal });
    window.addEventListener('offline', () => this.request?.abort(), { signal });
    if (navigator.locks) {
      this.handlers.onState('connecting');
      navigator.locks.request(`im.poll.${this.uid}`, { signal }, () => this.#lead()).catch(() => {});
      this.channel.postMessage({ type: 'hello' });
    } else {
      this.#lead();  // not a secure context: every tab polls; the channel still shares batches
    }
  }

  stop() {
    this.stopper.abort();
    this.wake?.abort();
    this.channel?.close();
  }

  retryNow() { this.wake?.abort(); }

  async #lead() {
    this.leading = true;
    try {
      await this.#loop();
    } finally {
      this.leading = false;
    }
  }

  #state(state, retryAt) {
    this.lastState = { state, retryAt };
    this.handlers.onState(state, retryAt);
    this.channel.postMessage({ type: 'state', state, retryAt });
  }

  async #loop() {
    const { signal } = this.stopper;
    let since = cursor.load(this.uid) ?? this.initialSince;
    let failures = 0;
    let reached = false;
    this.#state('connecting');
    while (!signal.aborted) {
      try {
        // The first poll after a start or an error answers at once (timeout 0): a held poll
        // says nothing until it ends, and the banner should clear as soon as the server is back.
        const timeout = reached ? kPollSeconds : 0;
        this.request = new AbortController();
        const { data, retryAfter } = await this.api.exchange('GET', 'poll', { query: { since, timeout },
          signal: AbortSignal.any([signal, this.request.signal]), timeoutMs: (timeout + 15) * 1000 });
        failures = 0;
        reached = true;
        this.#state('online');
        const batch = { messages: data.messages ?? [], events: data.events ?? [], next: data.next ?? since };
        if (batch.messages.length || batch.events.length) {
          this.handlers.onBatch(batch);
          this.channel.postMessage({ type: 'batch', batch });
        }
        since = batch.next;
        cursor.save(this.uid, since);
        // 200 with Retry-After: no push node is live, the server short-polled; wait it out.
        if (retryAfter && !batch.messages.length) await sleep(retryAfter * 1000, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (err.status === 401) return this.handlers.onUnauthorized();
        // A cursor above the mailbox's last seq (the server's database was reset): start over;
        // what is still in the inbox comes again and is merged by msg_id.
        if (err.status === 400 && since !== 0) {
          since = 0;
          cursor.save(this.uid, 0);
        }
        reached = false;
        await this.#backOff(++failures, err);
      }
    }
  }

  async #backOff(failures, err) {
    const delay = backoffMs(failures, err.retryAfter);
    this.wake = new AbortController();  // first: a "Retry now" as the banner appears must count
    this.#state(navigator.onLine === false ? 'offline' : 'reconnecting', Date.now() + delay);
    await sleep(delay, AbortSignal.any([this.wake.signal, this.stopper.signal]));
    this.wake = null;
    if (!this.stopper.signal.aborted) this.#state('connecting');
  }
}
