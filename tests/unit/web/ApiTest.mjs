// SPDX-License-Identifier: MIT
// ApiTest.mjs - web/js/api.js: which errors mean "no such endpoint" and which are worth a retry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, newClientMsgId } from '../../../web/js/api.js';

test('the router\'s and nginx\'s 404 and a 405 mean the server lacks the endpoint', () => {
  assert.equal(new ApiError(404, 'not_found', 'No such endpoint.').missingEndpoint, true);
  assert.equal(new ApiError(404, 'not_found', 'No such route.').missingEndpoint, true);
  assert.equal(new ApiError(405, 'method_not_allowed', 'Method PATCH is not allowed here; use GET.').missingEndpoint, true);
  assert.equal(new ApiError(404, 'not_found', 'No such group.').missingEndpoint, false, 'a missing thing is not a missing endpoint');
  assert.equal(new ApiError(400, 'bad_request', 'prefix is required.').missingEndpoint, false);
});

test('no answer, 429 and 5xx are transient; client errors are not', () => {
  for (const status of [0, 429, 500, 502, 503]) assert.equal(new ApiError(status, 'x', 'x').transient, true, String(status));
  for (const status of [400, 401, 403, 404, 409, 413]) assert.equal(new ApiError(status, 'x', 'x').transient, false, String(status));
});

test('client_msg_ids are 128 random bits, within API.md\'s 64 characters', () => {
  const ids = new Set(Array.from({ length: 1000 }, newClientMsgId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
});
