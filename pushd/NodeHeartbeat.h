// SPDX-License-Identifier: MIT
// NodeHeartbeat.h - keeps this node in the live-node set im:nodes (ZADD <now_ms> <node> every
// pushd.heartbeat_ms) on its own thread and Redis connection, prunes nodes silent for
// 10 x node_ttl, and deregisters (ZREM) first thing on shutdown so fcgi stops picking us.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/Clock.h"
#include "common/Config.h"
#include "common/RedisClient.h"

namespace im::pushd {

class NodeHeartbeat {
 public:
  NodeHeartbeat(const common::RedisConfig& redis, const common::PushdConfig& pushd, const common::Clock& clock);
  ~NodeHeartbeat();
  NodeHeartbeat(const NodeHeartbeat&) = delete;
  NodeHeartbeat& operator=(const NodeHeartbeat&) = delete;

  // Before start(). Called on the heartbeat thread when a beat finds the node missing from
  // im:nodes after an earlier beat had registered it *and* its beat key gone too: Redis lost
  // its data (restart without persistence, FLUSHALL), so the sessions naming this node for its
  // held polls may be gone. Not called when only the im:nodes entry went (fcgi drops a node
  // after one failed hand-over): sessions still name the node, and handing every held poll
  // back then turned one timed-out connect under overload into a wave of re-polls.
  void setOnRegisteredAgain(std::function<void()> callback) { onRegisteredAgain_ = std::move(callback); }
  // Owner thread. start() beats once at once, then every heartbeat_ms, on its own thread.
  void start();
  // Owner thread. Stops beating and removes the node from im:nodes (best effort). Idempotent.
  void stop();

 private:
  void run();
  void beat();
  void deregister();

  common::RedisClient redis_;
  const std::string nodeId_;
  const int periodMs_;
  const int64_t pruneAfterMs_;
  const common::Clock& clock_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wakeUp_;
  bool stop_ = false;  // guarded by mutex_
  bool failing_ = false;
  bool registered_ = false;  // a beat has succeeded
  std::function<void()> onRegisteredAgain_;
};

}  // namespace im::pushd
