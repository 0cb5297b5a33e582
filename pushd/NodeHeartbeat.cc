// SPDX-License-Identifier: MIT
// NodeHeartbeat.cc - the beat loop and deregistration.
#include "pushd/NodeHeartbeat.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "common/Log.h"
#include "common/RedisKeys.h"

namespace im::pushd {

NodeHeartbeat::NodeHeartbeat(const common::RedisConfig& redis, const common::PushdConfig& pushd,
                             const common::Clock& clock)
    : redis_(redis),  // redis.socket when set, like every Redis client of ours
      nodeId_(pushd.nodeId()),
      periodMs_(std::max(pushd.heartbeatMs, 10)),
      pruneAfterMs_(int64_t{10} * pushd.nodeTtlMs),
      clock_(clock) {}

NodeHeartbeat::~NodeHeartbeat() { stop(); }

void NodeHeartbeat::start() { thread_ = std::thread([this] { run(); }); }

void NodeHeartbeat::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wakeUp_.notify_all();
  thread_.join();
}

void NodeHeartbeat::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    lock.unlock();
    beat();
    lock.lock();
    wakeUp_.wait_for(lock, std::chrono::milliseconds(periodMs_), [this] { return stop_; });
  }
  lock.unlock();
  deregister();
}

void NodeHeartbeat::beat() {
  const int64_t now = clock_.wallMs();
  try {
    const auto replies = redis_.pipeline({
        {"ZADD", common::RedisKeys::nodes(), std::to_string(now), nodeId_},
        // Nodes that died without deregistering; fcgi already ignores them after node_ttl.
        {"ZREMRANGEBYSCORE", common::RedisKeys::nodes(), "-inf", "(" + std::to_string(now - pruneAfterMs_)},
        {"SET", common::RedisKeys::nodeBeat(nodeId_), std::to_string(now), "PX", std::to_string(pruneAfterMs_), "GET"},
    });
    if (failing_) IM_INFO("heartbeat", "registered again as " + nodeId_);
    failing_ = false;
    // ZADD answers 1 when it added the node: it was gone (Redis lost its data, or fcgi dropped
    // us); SET ... GET answers nil when the beat key was gone as well: only Redis loses that.
    const bool added = replies.size() == 3 && replies[0].integer() == 1;
    const bool dataLost = added && replies[2].isNil();
    if (added && registered_ && dataLost) {
      IM_WARN("heartbeat", nodeId_ + " was missing from the live-node set and Redis lost its data; handing held polls back");
      if (onRegisteredAgain_) onRegisteredAgain_();
    } else if (added && registered_) {
      IM_INFO("heartbeat", nodeId_ + " was dropped from the live-node set (a failed hand-over); registered again, held polls kept");
    }
    registered_ = true;
  } catch (const std::exception&) {
    if (!failing_) IM_WARN("heartbeat", "cannot register " + nodeId_ + "; retrying every beat");
    failing_ = true;
  }
}

void NodeHeartbeat::deregister() {
  try {
    redis_.command({"ZREM", common::RedisKeys::nodes(), nodeId_});
    IM_INFO("heartbeat", "deregistered " + nodeId_);
  } catch (const std::exception&) {
    IM_WARN("heartbeat", "could not deregister " + nodeId_ + "; it ages out after node_ttl");
  }
}

}  // namespace im::pushd
