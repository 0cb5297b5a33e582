// SPDX-License-Identifier: MIT
// TokenCache.h - what a token's MySQL lookup found, kept in Redis for a minute so that most
// requests authenticate without MySQL; revocation writes a tombstone first (docs/internals.md
// "Token cache").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/RedisClient.h"

namespace im::fcgi {

// The stable part of a session, as the auth SELECT returned it.
struct CachedSession {
  uint64_t sessionId = 0;
  uint64_t userId = 0;
  std::string username;
  int64_t lastUsedMs = 0;
};

class TokenCache {
 public:
  static constexpr int64_t kEntryTtlMs = 60'000;
  // A fill's MySQL lookup takes far less; a ticket that outlives it only stops that one fill.
  static constexpr int64_t kTicketTtlMs = 5'000;
  // Longer than any fill can take to land (kTicketTtlMs): after it, MySQL alone refuses.
  static constexpr int64_t kTombstoneTtlMs = 10 * kEntryTtlMs;

  // What a lookup found. Miss: `ticket` non-empty when this request may fill the entry.
  struct Lookup {
    enum class Kind { Hit, Revoked, Miss } kind = Kind::Miss;
    CachedSession session;
    std::string ticket;
  };

  TokenCache(common::RedisClient& redis, const common::Clock& clock) : redis_(redis), clock_(clock) {}
  TokenCache(const TokenCache&) = delete;
  TokenCache& operator=(const TokenCache&) = delete;

  // One round trip (SET NX GET): the entry, a tombstone, or a miss that leaves this request's
  // ticket in the key. Redis down or an entry of another Redis instance: a miss without ticket.
  Lookup find(const std::string& tokenHashHex) noexcept;
  // Stores `s` if the key still holds `ticket` (nothing revoked or flushed it since the ticket
  // was placed, before the MySQL lookup). Expires before the session's next touch is due
  // (`touchDueMs`, wall ms) and before `idleAtMs`. Best effort.
  void fill(const std::string& tokenHashHex, const std::string& ticket, const CachedSession& s, int64_t touchDueMs,
            int64_t idleAtMs) noexcept;
  // Writes the tombstones (one pipeline). Throws ApiError(Unavailable) when Redis cannot be
  // reached: the caller must not revoke in MySQL and answer success then (an entry could outlive
  // the revocation). Revokers write them before the MySQL update and again after it (a fill
  // whose ticket was placed after a FLUSHALL that took the first tombstone is overwritten).
  void revoke(const std::vector<std::string>& tokenHashesHex);
  // Takes the tombstones back when the MySQL revocation failed (503: nothing was written).
  // Safe: a fill after it reads MySQL, whatever the failed update did. Best effort: a tombstone
  // left behind refuses a live token until it expires, never the other way round.
  void withdraw(const std::vector<std::string>& tokenHashesHex) noexcept;

 private:
  common::RedisClient& redis_;
  const common::Clock& clock_;
  uint64_t tickets_ = 0;
};

}  // namespace im::fcgi
