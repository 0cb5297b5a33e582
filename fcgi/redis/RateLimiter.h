// SPDX-License-Identifier: MIT
// RateLimiter.h - fixed-window limits on logins and sends, counted in Redis so that every worker
// on every host shares them (keys: RedisKeys::loginRate*, sendRate). Over a limit: 429 + Retry-After.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/Clock.h"
#include "common/Config.h"
#include "common/RedisClient.h"

namespace im::fcgi {

// Pure: 0 when the `count`-th hit of a window is within `limit` (0 = no limit), else the seconds
// until the window frees (Retry-After): `pttlMs` rounded up, the whole window when the key has
// no expiry (-1), 1 when it has just expired (-2). Always >= 1 when over the limit.
int retryAfterIfOver(long long count, long long pttlMs, int limit, int windowS);

class RateLimiter {
 public:
  RateLimiter(common::RedisClient& redis, const common::Clock& clock, const common::LimitsConfig& limits);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Counts one login attempt for the account and for the client address (either may be "";
  // it is then not counted). Throws ApiError(RateLimited) with Retry-After when either is over.
  void checkLogin(std::string_view username, std::string_view remoteAddr);
  // Counts one send by `uid`; throws ApiError(RateLimited) with Retry-After when over the limit.
  void checkSend(uint64_t uid);

 private:
  struct Counter {
    std::string key;
    int limit;
    int windowS;
  };
  // One round trip counting a hit on every counter; the largest Retry-After among those over
  // their limit, 0 when none is. Fails open: Redis down or erring -> 0 (see docs/internals.md).
  int hit(const std::vector<Counter>& counters);
  int evaluate(const std::vector<Counter>& counters, const std::vector<common::RedisReply>& replies);
  void warnOccasionally(const std::string& what);

  common::RedisClient& redis_;
  const common::Clock& clock_;
  const common::LimitsConfig& limits_;
  int64_t nextWarnMs_ = 0;
};

}  // namespace im::fcgi
