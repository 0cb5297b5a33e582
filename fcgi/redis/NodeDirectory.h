// SPDX-License-Identifier: MIT
// NodeDirectory.h - which pushd node holds a user's polls: the live nodes of RedisKeys::nodes()
// (heartbeat within pushd.node_ttl_ms) on a consistent-hash ring, re-read at most once a second.
#pragma once

#include <cstdint>
#include <string>

#include "common/Clock.h"
#include "common/NodeRing.h"
#include "common/RedisClient.h"

namespace im::fcgi {

class NodeDirectory {
 public:
  static constexpr int64_t kCacheMs = 1000;

  NodeDirectory(common::RedisClient& redis, const common::Clock& clock, int nodeTtlMs);
  NodeDirectory(const NodeDirectory&) = delete;
  NodeDirectory& operator=(const NodeDirectory&) = delete;

  // The node for `uid`, "" when no node is live. Throws ApiError(Unavailable) when Redis is down.
  std::string nodeFor(uint64_t uid);
  // nginx could not reach `node` (refused, or it died holding a poll): drop it from the live
  // set now instead of waiting pushd.node_ttl_ms for its heartbeat to lapse. A node that is in
  // fact alive re-registers with its next heartbeat. Throws ApiError(Unavailable) without Redis.
  void markDead(const std::string& node);

 private:
  void refresh();

  common::RedisClient& redis_;
  const common::Clock& clock_;
  const int nodeTtlMs_;
  common::NodeRing ring_;
  int64_t fetchedAtMs_ = 0;
  bool fetched_ = false;
};

}  // namespace im::fcgi
