// SPDX-License-Identifier: MIT
// Presence.h - the Redis side of a poll: which node holds each device (RedisKeys::session) and
// who polled lately (RedisKeys::presence), plus the /im/online read of the latter.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/Clock.h"
#include "common/Config.h"
#include "common/RedisClient.h"

namespace im::fcgi {

class Presence {
 public:
  Presence(common::RedisClient& redis, const common::Clock& clock, const common::Config& config);
  Presence(const Presence&) = delete;
  Presence& operator=(const Presence&) = delete;

  // One pipeline: HSET session(uid) <session> "<node>|<now>", PEXPIRE 2 x poll.max_timeout,
  // ZADD presence <now> <uid>. With node == "" only the presence is recorded.
  // Throws ApiError(Unavailable) when Redis is down.
  void recordPoll(uint64_t uid, uint64_t sessionId, const std::string& node);
  // PING (health); ApiError(Unavailable) when Redis does not answer.
  void ping();
  // Drops the device from session(uid) (logout); failures are ignored.
  void forget(uint64_t uid, uint64_t sessionId) noexcept;
  // (uid, last poll unix ms) of users seen within presence.window_s; trims older entries first.
  std::vector<std::pair<uint64_t, int64_t>> online();

 private:
  common::RedisClient& redis_;
  const common::Clock& clock_;
  const common::Config& config_;
};

}  // namespace im::fcgi
