// SPDX-License-Identifier: MIT
// Presence.cc - session and presence writes, online read.
#include "fcgi/redis/Presence.h"

#include <cstdlib>

#include "common/ApiError.h"
#include "common/Log.h"
#include "common/RedisKeys.h"

namespace im::fcgi {
namespace {

void requireOk(const std::vector<common::RedisReply>& replies) {
  for (const auto& r : replies) {
    if (r.isError()) {
      IM_WARN("redis", "error reply: " + std::string(r.str()));
      throw common::ApiError(common::ErrorCode::Unavailable, "Redis is unavailable.");
    }
  }
}

}  // namespace

Presence::Presence(common::RedisClient& redis, const common::Clock& clock, const common::Config& config,
                   const DeviceDirectory& devices)
    : redis_(redis), clock_(clock), config_(config), devices_(devices) {}

common::RedisReply Presence::recordPoll(uint64_t uid, uint64_t sessionId, const std::string& node,
                                       std::vector<std::string> then) {
  std::vector<DeviceDirectory::Command> commands;
  if (!node.empty()) commands = devices_.recordCommands(uid, sessionId, node);
  commands.push_back({"ZADD", common::RedisKeys::presence(), std::to_string(clock_.wallMs()), std::to_string(uid)});
  const bool wantsReply = !then.empty();
  if (wantsReply) commands.push_back(std::move(then));
  auto replies = redis_.pipeline(commands);
  requireOk(replies);
  return wantsReply ? std::move(replies.back()) : common::RedisReply();
}

void Presence::ping() { requireOk(redis_.pipeline({{"PING"}})); }

std::vector<std::pair<uint64_t, int64_t>> Presence::online() {
  const int64_t oldest = clock_.wallMs() - int64_t{config_.presenceWindowS} * 1000;
  const std::string key = common::RedisKeys::presence();
  // Appended rather than `"(" + to_string()`: GCC 12 at -O3 reports a false -Wrestrict there.
  std::string before = "(";
  before += std::to_string(oldest);
  const auto replies = redis_.pipeline({{"ZREMRANGEBYSCORE", key, "-inf", before},
                                        {"ZRANGEBYSCORE", key, std::to_string(oldest), "+inf", "WITHSCORES"}});
  requireOk(replies);
  std::vector<std::pair<uint64_t, int64_t>> out;
  const auto& list = replies[1];
  for (size_t i = 0; i + 1 < list.size(); i += 2) {
    const std::string uid(common::replyString(list.element(i)));
    const std::string score(common::replyString(list.element(i + 1)));
    out.emplace_back(std::strtoull(uid.c_str(), nullptr, 10), std::strtoll(score.c_str(), nullptr, 10));
  }
  return out;
}

}  // namespace im::fcgi
