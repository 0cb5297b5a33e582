// SPDX-License-Identifier: MIT
// NodeDirectory.cc - reads the live-node set and keeps the ring for a second.
#include "fcgi/redis/NodeDirectory.h"

#include <vector>

#include "common/ApiError.h"
#include "common/RedisKeys.h"

namespace im::fcgi {

NodeDirectory::NodeDirectory(common::RedisClient& redis, const common::Clock& clock, int nodeTtlMs)
    : redis_(redis), clock_(clock), nodeTtlMs_(nodeTtlMs) {}

std::string NodeDirectory::nodeFor(uint64_t uid) {
  if (!fetched_ || clock_.steadyMs() - fetchedAtMs_ >= kCacheMs) refresh();
  return ring_.nodeFor(uid);
}

void NodeDirectory::markDead(const std::string& node) {
  redis_.command({"ZREM", common::RedisKeys::nodes(), node});
  fetched_ = false;  // re-read the ring on the next nodeFor()
}

void NodeDirectory::refresh() {
  const int64_t oldest = clock_.wallMs() - nodeTtlMs_;
  const auto reply = redis_.command({"ZRANGEBYSCORE", common::RedisKeys::nodes(), std::to_string(oldest), "+inf"});
  if (reply.isError() || !reply.isArray()) {
    throw common::ApiError(common::ErrorCode::Unavailable, "Redis is unavailable.");
  }
  std::vector<std::string> nodes;
  for (size_t i = 0; i < reply.size(); ++i) nodes.emplace_back(common::replyString(reply.element(i)));
  ring_ = common::NodeRing(std::move(nodes));
  fetchedAtMs_ = clock_.steadyMs();
  fetched_ = true;
}

}  // namespace im::fcgi
