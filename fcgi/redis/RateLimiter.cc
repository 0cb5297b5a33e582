// SPDX-License-Identifier: MIT
// RateLimiter.cc - INCR + PEXPIRE NX + PTTL per counter, pipelined; fails open when Redis is away.
#include "fcgi/redis/RateLimiter.h"

#include <algorithm>

#include "common/ApiError.h"
#include "common/Log.h"
#include "common/Protocol.h"
#include "common/RedisKeys.h"

namespace im::fcgi {
namespace {

constexpr int64_t kWarnEveryMs = 60 * 1000;  // a Redis outage must not flood the log once per request
constexpr size_t kRepliesPerCounter = 3;

[[noreturn]] void rateLimited(const std::string& message, int retryAfterS) {
  throw common::ApiError(common::ErrorCode::RateLimited, message).withRetryAfter(retryAfterS);
}

}  // namespace

int retryAfterIfOver(long long count, long long pttlMs, int limit, int windowS) {
  if (limit <= 0 || count <= limit) return 0;
  if (pttlMs == -1) return windowS;
  if (pttlMs <= 0) return 1;
  return static_cast<int>((pttlMs + 999) / 1000);
}

RateLimiter::RateLimiter(common::RedisClient& redis, const common::Clock& clock, const common::LimitsConfig& limits)
    : redis_(redis), clock_(clock), limits_(limits) {}

void RateLimiter::checkLogin(std::string_view username, std::string_view remoteAddr) {
  std::vector<Counter> counters;
  // A name longer than any account's can match no account: only its address is counted, and
  // an attacker cannot fill Redis with 64 KiB keys.
  if (limits_.loginPerAccount > 0 && !username.empty() && username.size() <= common::kMaxUsername) {
    counters.push_back({common::RedisKeys::loginRateUser(username), limits_.loginPerAccount, limits_.loginWindowS});
  }
  if (limits_.loginPerAddress > 0 && !remoteAddr.empty()) {
    counters.push_back({common::RedisKeys::loginRateAddr(remoteAddr), limits_.loginPerAddress, limits_.loginWindowS});
  }
  if (const int wait = hit(counters); wait > 0) {
    rateLimited("Too many login attempts; try again in " + std::to_string(wait) + " s.", wait);
  }
}

void RateLimiter::checkSend(uint64_t uid) {
  if (limits_.sendPerUser <= 0) return;
  if (const int wait = hit({{common::RedisKeys::sendRate(uid), limits_.sendPerUser, limits_.sendWindowS}}); wait > 0) {
    rateLimited("Too many messages; try again in " + std::to_string(wait) + " s.", wait);
  }
}

int RateLimiter::hit(const std::vector<Counter>& counters) {
  if (counters.empty()) return 0;
  std::vector<std::vector<std::string>> commands;
  for (const auto& c : counters) {
    const std::string windowMs = std::to_string(int64_t{c.windowS} * 1000);
    commands.push_back({"INCR", c.key});
    commands.push_back({"PEXPIRE", c.key, windowMs, "NX"});  // the first hit opens the window
    commands.push_back({"PTTL", c.key});
  }
  try {
    return evaluate(counters, redis_.pipeline(commands));
  } catch (const common::ApiError& e) {
    // Availability over strictness: logins and sends go on while Redis is down; passwords
    // (Argon2id) and MariaDB still protect the data, and the limits return with Redis.
    warnOccasionally(std::string("rate limits are off while Redis fails: ") + e.what());
    return 0;
  }
}

int RateLimiter::evaluate(const std::vector<Counter>& counters, const std::vector<common::RedisReply>& replies) {
  int wait = 0;
  for (size_t i = 0; i < counters.size(); ++i) {
    const auto& incr = replies.at(i * kRepliesPerCounter);
    const auto& pttl = replies.at(i * kRepliesPerCounter + 2);
    if (incr.isError() || pttl.isError()) {
      warnOccasionally("rate limit counter failed: " + std::string(incr.isError() ? incr.str() : pttl.str()));
      continue;
    }
    if (pttl.integer() == -1) {
      // The PEXPIRE was lost (a connection dropped mid-pipeline): never leave a counter that
      // would block an account forever.
      redis_.command({"PEXPIRE", counters[i].key, std::to_string(int64_t{counters[i].windowS} * 1000)});
    }
    wait = std::max(wait, retryAfterIfOver(incr.integer(), pttl.integer(), counters[i].limit, counters[i].windowS));
  }
  return wait;
}

void RateLimiter::warnOccasionally(const std::string& what) {
  const int64_t now = clock_.steadyMs();
  if (now < nextWarnMs_) return;
  nextWarnMs_ = now + kWarnEveryMs;
  IM_WARN("ratelimit", what);
}

}  // namespace im::fcgi
