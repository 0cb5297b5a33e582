// SPDX-License-Identifier: MIT
// Presence.h - the Redis side of a poll: who polled lately (RedisKeys::presence), written in
// one pipeline with the device's node (DeviceDirectory), plus the /im/online read.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/Clock.h"
#include "common/Config.h"
#include "common/RedisClient.h"
#include "fcgi/redis/DeviceDirectory.h"

namespace im::fcgi {

class Presence {
 public:
  Presence(common::RedisClient& redis, const common::Clock& clock, const common::Config& config,
           const DeviceDirectory& devices);
  Presence(const Presence&) = delete;
  Presence& operator=(const Presence&) = delete;

  // One pipeline: the device's node (DeviceDirectory::recordCommands), ZADD presence <now> <uid>.
  // With node == "" only the presence is recorded. `then`, when given, runs last in the same
  // pipeline (after the writes, which it may rely on) and its reply is returned.
  // Throws ApiError(Unavailable) when Redis is down.
  common::RedisReply recordPoll(uint64_t uid, uint64_t sessionId, const std::string& node,
                                std::vector<std::string> then = {});
  // PING (health); ApiError(Unavailable) when Redis does not answer.
  void ping();
  // (uid, last poll unix ms) of users seen within presence.window_s; trims older entries first.
  std::vector<std::pair<uint64_t, int64_t>> online();

 private:
  common::RedisClient& redis_;
  const common::Clock& clock_;
  const common::Config& config_;
  const DeviceDirectory& devices_;
};

}  // namespace im::fcgi
