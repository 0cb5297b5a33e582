// SPDX-License-Identifier: MIT
// RedisInbox.h - drains this node's notification list (BLMPOP ... COUNT 100) on a dedicated
// thread with its own Redis connection, and hands each batch to the loop with one task.
// Redis down: logs, retries with backoff (100 ms doubling to 2 s), recovers by itself.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/Config.h"
#include "common/Notification.h"
#include "common/RedisClient.h"
#include "pushd/EventLoop.h"

namespace im::pushd {

class RedisInbox {
 public:
  static constexpr int kBatch = 100;
  static constexpr int kBlockSeconds = 1;         // how often the thread looks at its stop flag
  static constexpr int kMaxBatchesInFlight = 64;  // back-pressure: bounded loop queue

  // Runs on the loop thread with one decoded batch and when it was popped (Stats::nowUs).
  using BatchHandler = std::function<void(const std::vector<common::Notification>&, int64_t poppedUs)>;

  RedisInbox(const common::RedisConfig& redis, const std::string& nodeId, EventLoop& loop, BatchHandler onBatch);
  ~RedisInbox();
  RedisInbox(const RedisInbox&) = delete;
  RedisInbox& operator=(const RedisInbox&) = delete;

  // Owner thread (not the loop's). start() spawns the thread; stop() returns within about
  // kBlockSeconds + the Redis timeout. stop() is idempotent.
  void start();
  void stop();

 private:
  void run();
  bool popOnce();
  std::vector<common::Notification> decode(const common::RedisReply& reply) const;
  void deliver(std::vector<common::Notification> batch, int64_t poppedUs);
  void backOff();
  void waitForRoom();
  bool sleepFor(int ms);  // false when stop() interrupted the sleep

  common::RedisClient redis_;
  const std::string key_;
  EventLoop& loop_;
  BatchHandler onBatch_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> inFlight_{0};
  std::mutex mutex_;
  std::condition_variable wakeUp_;
  int backoffMs_ = 0;  // 0 while Redis answers
};

}  // namespace im::pushd
