// SPDX-License-Identifier: MIT
// RedisInbox.cc - the pop loop, reply decoding and backoff.
#include "pushd/RedisInbox.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "common/Log.h"
#include "common/RedisKeys.h"
#include "pushd/Stats.h"

namespace im::pushd {
namespace {

constexpr int kFirstBackoffMs = 100;
constexpr int kMaxBackoffMs = 2000;

}  // namespace

RedisInbox::RedisInbox(const common::RedisConfig& redis, const std::string& nodeId, EventLoop& loop,
                       BatchHandler onBatch)
    : redis_(redis.host, redis.port, redis.timeoutMs),
      key_(common::RedisKeys::nodeNotify(nodeId)),
      loop_(loop),
      onBatch_(std::move(onBatch)) {
  // The socket timeout must outlast the blocking pop, or every idle second looks like a failure.
  redis_.setTimeoutMs(kBlockSeconds * 1000 + std::max(redis.timeoutMs, 1000));
}

RedisInbox::~RedisInbox() { stop(); }

void RedisInbox::start() { thread_ = std::thread([this] { run(); }); }

void RedisInbox::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
  }
  wakeUp_.notify_all();
  thread_.join();
}

void RedisInbox::run() {
  IM_INFO("inbox", "draining " + key_);
  while (!stop_.load()) {
    try {
      if (popOnce() && backoffMs_ != 0) {
        IM_INFO("inbox", "Redis is back; draining again");
        backoffMs_ = 0;
      }
    } catch (const std::exception&) {  // RedisClient logged it
      backOff();
    }
  }
}

// One BLMPOP. True when Redis answered (with items or the nil of a timeout).
bool RedisInbox::popOnce() {
  waitForRoom();
  const auto reply = redis_.command({"BLMPOP", std::to_string(kBlockSeconds), "1", key_, "RIGHT", "COUNT",
                                     std::to_string(kBatch)});
  if (reply.isNil()) return true;
  if (reply.isError()) {
    IM_ERROR("inbox", "BLMPOP failed: " + std::string(reply.str()));
    backOff();
    return false;
  }
  auto batch = decode(reply);
  if (!batch.empty()) deliver(std::move(batch), Stats::nowUs());
  return true;
}

// Reply: [key, [item, item, ...]]. Malformed items are logged and dropped: MySQL still has the
// messages, and the client's next poll catches up.
std::vector<common::Notification> RedisInbox::decode(const common::RedisReply& reply) const {
  std::vector<common::Notification> batch;
  if (reply.size() != 2 || reply.element(1)->type != REDIS_REPLY_ARRAY) {
    IM_ERROR("inbox", "unexpected BLMPOP reply shape");
    return batch;
  }
  const redisReply* items = reply.element(1);
  batch.reserve(items->elements);
  for (size_t i = 0; i < items->elements; ++i) {
    const std::string_view wire = common::replyString(items->element[i]);
    auto n = common::Notification::decode(wire);
    if (n) {
      batch.push_back(std::move(*n));
    } else {
      IM_WARN("inbox", "dropped a malformed notification: " + std::string(wire.substr(0, 120)));
    }
  }
  return batch;
}

void RedisInbox::deliver(std::vector<common::Notification> batch, int64_t poppedUs) {
  ++inFlight_;
  auto shared = std::make_shared<std::vector<common::Notification>>(std::move(batch));
  loop_.queueInLoop([this, shared, poppedUs] {
    --inFlight_;
    onBatch_(*shared, poppedUs);
  });
}

// The loop falls behind only under overload; waiting here keeps its queue (memory) bounded
// and leaves the rest in Redis, whose list is itself bounded by its expiry.
void RedisInbox::waitForRoom() {
  while (inFlight_.load() >= kMaxBatchesInFlight && sleepFor(1)) {
  }
}

void RedisInbox::backOff() {
  if (backoffMs_ == 0) IM_WARN("inbox", "Redis unavailable; retrying with backoff up to 2 s");
  backoffMs_ = backoffMs_ == 0 ? kFirstBackoffMs : std::min(backoffMs_ * 2, kMaxBackoffMs);
  sleepFor(backoffMs_);
}

bool RedisInbox::sleepFor(int ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !wakeUp_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_.load(); });
}

}  // namespace im::pushd
