// SPDX-License-Identifier: MIT
// RedisInbox.h - drains this node's notification list (BLMPOP ... COUNT 100) on the event loop
// through a non-blocking connection, and hands each decoded batch to the registry in place.
// Redis down: logs once, retries with backoff (100 ms doubling to 2 s; 500 ms behind Sentinel),
// recovers by itself.
// An error reply (READONLY, UNBLOCKED: the server was demoted in a Sentinel failover) drops the
// connection too, so that the retry finds the primary anew.
//
// Why on the loop and not on a thread of its own: a hand-over through the loop's eventfd cost
// two context switches per batch on the push leg. Back-pressure is now the order of events: the
// next pop is sent only after the batch was handled, and the rest waits in Redis.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/Config.h"
#include "common/Notification.h"
#include "common/RedisClient.h"
#include "pushd/NotificationBatch.h"
#include "pushd/Stats.h"
#include "pushd/net/EventLoop.h"
#include "pushd/net/RedisLoopConnection.h"

namespace im::pushd {

class RedisInbox {
 public:
  static constexpr int kBatch = 100;
  // Redis answers an idle pop with nil after this long: the connection's proof of life.
  static constexpr int kBlockSeconds = 1;

  // Runs on the loop thread with each decoded batch (stamped with when its reply was read).
  using BatchHandler = std::function<void(const NotificationBatch&)>;

  // `stats` counts the outages it came back from (redis_reconnects).
  RedisInbox(const common::RedisConfig& redis, const std::string& nodeId, net::EventLoop& loop,
             const common::Clock& clock, Stats& stats, BatchHandler onBatch);
  RedisInbox(const RedisInbox&) = delete;
  RedisInbox& operator=(const RedisInbox&) = delete;

  // Before start(). Runs on the loop thread when a pop succeeds again after an outage on another
  // server than before (a Sentinel failover): what the old primary held or had not replicated
  // (notifications, sessions) is lost. The same server back needs nothing here: it either kept
  // its data, or lost it all, which the heartbeat notices (NodeHeartbeat::setOnRegisteredAgain).
  void setOnPrimaryChanged(std::function<void()> callback) { onPrimaryChanged_ = std::move(callback); }
  // Loop thread (or before the loop starts). Sends the first pop.
  void start();
  // Loop thread. Closes the connection at once, abandoning a pop in flight: Redis unblocks a
  // client whose socket closed, and anything popped but unread is only a wake-up (MySQL has the
  // message; the client's next poll catches up). Idempotent.
  void stop();
  // Loop thread; call when nextDueMs() says so. Retries after a backoff, and fails a pop that got
  // no answer within kBlockSeconds + the Redis timeout (a Redis that hangs without closing).
  void tick();
  // Loop thread. When tick() next has work (clock ms): the pop's deadline while one is in flight
  // (a healthy Redis answers first, so an idle node never wakes for it), else the retry while
  // backing off; nullopt once stopped.
  net::NextDue nextDueMs() const;

 private:
  void pop();
  void onReply(std::optional<common::RedisReply> reply);
  std::vector<common::Notification> decode(const common::RedisReply& reply) const;
  void deliver(const NotificationBatch& batch) noexcept;
  void backOff(const std::string& why);

  net::EventLoop& loop_;
  const common::Clock& clock_;
  Stats& stats_;
  const std::string key_;
  const std::vector<std::string> popCommand_;
  const int64_t popTimeoutMs_;
  const int maxBackoffMs_;
  BatchHandler onBatch_;
  std::function<void()> onPrimaryChanged_;
  std::string servedBy_;  // the server the last successful pop went to
  net::RedisLoopConnection redis_;
  bool running_ = false;
  int backoffMs_ = 0;      // 0 while Redis answers
  int64_t retryAtMs_ = 0;  // while backing off: when to pop again
};

}  // namespace im::pushd
