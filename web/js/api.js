// SPDX-License-Identifier: MIT
// api.js - the HTTP client of shared/API.md: one call() for every endpoint, errors as ApiError.
// Same origin as the page, bearer token in a header (never a cookie), JSON both ways.

export class ApiError extends Error {
  // status 0 = the request never got an answer (network down, aborted by a timeout).
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;  // seconds, or null
  }

  // The server has no such endpoint (an older server, or a feature not deployed yet):
  // the fcgi router's 404 and nginx's own, or a known path that lacks this method.
  get missingEndpoint() {
    if (this.status === 405) return true;
    return this.status === 404 && this.code === 'not_found' &&
        (this.message === 'No such endpoint.' || this.message === 'No such route.');
  }

  // Worth trying again later: no answer, a store down, rate limited, a proxy error.
  get transient() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

function retryAfterOf(response) {
  const value = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

export class Api {
  constructor(base = '/im/') {
    this.base = base;
    this.token = null;
  }

  // call('GET', 'history', {query: {with: 2}}) -> the parsed body (null for 204), or throws
  // ApiError. {timeoutMs} bounds the whole exchange; {signal} aborts it from outside.
  async call(method, path, { query, body, signal, timeoutMs = 15000 } = {}) {
    const { data } = await this.exchange(method, path, { query, body, signal, timeoutMs });
    return data;
  }

  // Like call(), but also answers the Retry-After of a 200 (a short poll when no push node is up).
  async exchange(method, path, { query, body, signal, timeoutMs = 15000 } = {}) {
    const url = new URL(this.base + path, location.href);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response;
    try {
      response = await fetch(url, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        signal: combined, credentials: 'omit', cache: 'no-store',
      });
    } catch (err) {
      if (signal?.aborted) throw err;  // the caller stopped: not a network error
      throw new ApiError(0, 'network', 'The server could not be reached.', null);
    }
    return this.#read(response);
  }

  async #read(response) {
    const text = response.status === 204 ? '' : await response.text().catch(() => '');
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;  // an HTML error page from a proxy in between
    }
    if (response.ok) return { data, retryAfter: retryAfterOf(response) };
    const code = data?.error ?? 'http_' + response.status;
    const message = data?.message ?? `The server answered ${response.status}.`;
    throw new ApiError(response.status, code, message, retryAfterOf(response));
  }
}

// A client_msg_id: 128 random bits in hex (crypto.randomUUID needs a secure context).
export function newClientMsgId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
