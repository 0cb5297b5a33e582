// SPDX-License-Identifier: MIT
// SessionRevocation.h - every im-admin revocation runs between the token cache's tombstones, as
// a logout does (docs/internals.md "Token cache"): no host can cache a token after it.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "common/ApiError.h"
#include "common/Log.h"
#include "fcgi/Services.h"
#include "fcgi/store/AdminStore.h"

namespace im::admin {

// Runs `revoke` (the MySQL revocation of `uid`'s sessions: all, or only `sessionId` when
// non-zero) after their tombstones and returns what it returns. Redis unreachable: throws before
// anything is revoked. `revoke` failing takes the tombstones back. The second round, after it,
// also covers a session created meanwhile; it failing is only logged (the first stands).
template <class Revoke>
auto revokeBetweenTombstones(fcgi::Services& services, fcgi::AdminStore& admin, uint64_t uid, uint64_t sessionId,
                             Revoke revoke) {
  const auto hashes = admin.tokenHashes(uid, sessionId);
  services.tokens.revoke(hashes);
  std::optional<decltype(revoke())> result;
  try {
    result.emplace(revoke());
  } catch (...) {
    services.tokens.withdraw(hashes);
    throw;
  }
  try {
    services.tokens.revoke(admin.tokenHashes(uid, sessionId));
  } catch (const common::ApiError& e) {
    IM_WARN("admin", std::string("second tombstones not written: ") + e.what());
  }
  return std::move(*result);
}

}  // namespace im::admin
