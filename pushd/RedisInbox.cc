// SPDX-License-Identifier: MIT
// RedisInbox.cc - the pop cycle, reply decoding and backoff.
#include "pushd/RedisInbox.h"

#include <algorithm>
#include <exception>

#include "common/Log.h"
#include "common/RedisKeys.h"

namespace im::pushd {
namespace {

constexpr int kFirstBackoffMs = 100;
constexpr int kMaxBackoffMs = 2000;
// Behind Sentinel a retry asks the sentinels first, which answer at once while the primary is
// down; a shorter cap notices the end of a failover (1-3 s) sooner, at a few cheap calls a second.
constexpr int kMaxSentinelBackoffMs = 500;

}  // namespace

RedisInbox::RedisInbox(const common::RedisConfig& redis, const std::string& nodeId, net::EventLoop& loop,
                       const common::Clock& clock, Stats& stats, BatchHandler onBatch)
    : loop_(loop),
      clock_(clock),
      stats_(stats),
      key_(common::RedisKeys::nodeNotify(nodeId)),
      popCommand_{"BLMPOP", std::to_string(kBlockSeconds), "1", key_, "RIGHT", "COUNT", std::to_string(kBatch)},
      // The deadline must outlast the blocking pop, or every idle second looks like a failure.
      popTimeoutMs_(kBlockSeconds * 1000 + std::max(redis.timeoutMs, 1000)),
      maxBackoffMs_(redis.sentinels.empty() ? kMaxBackoffMs : kMaxSentinelBackoffMs),
      onBatch_(std::move(onBatch)),
      redis_(loop, clock, redis) {}

void RedisInbox::start() {
  loop_.assertInLoopThread();
  if (running_) return;
  running_ = true;
  IM_INFO("inbox", "draining " + key_);
  pop();
}

void RedisInbox::stop() {
  loop_.assertInLoopThread();
  running_ = false;
  redis_.close();
}

void RedisInbox::tick() {
  loop_.assertInLoopThread();
  if (!running_) return;
  redis_.checkDeadline();  // may fail the pop: onReply(nullopt) backs off
  if (backoffMs_ != 0 && !redis_.busy() && clock_.steadyMs() >= retryAtMs_) pop();
}

net::NextDue RedisInbox::nextDueMs() const {
  loop_.assertInLoopThread();
  if (!running_) return std::nullopt;
  if (redis_.busy()) return redis_.deadlineMs();
  return backoffMs_ != 0 ? net::NextDue(retryAtMs_) : std::nullopt;
}

void RedisInbox::pop() {
  if (!redis_.command(popCommand_, popTimeoutMs_, [this](auto reply) { onReply(std::move(reply)); })) {
    backOff(redis_.error());
  }
}

// Runs inside the connection's read event, right after the reply was parsed.
void RedisInbox::onReply(std::optional<common::RedisReply> reply) {
  NotificationBatch batch;
  batch.readUs = Stats::nowUs();  // the push leg starts here, before decoding
  if (!reply) return backOff(redis_.error());
  if (reply->isError()) {
    // The next pop opens a new connection: after a failover, to the new primary.
    redis_.close();
    return backOff("BLMPOP failed: " + std::string(reply->str()));
  }
  if (backoffMs_ != 0) {
    IM_INFO("inbox", "Redis is back; draining again");
    backoffMs_ = 0;
    stats_.countRedisReconnect();
    if (!servedBy_.empty() && redis_.peer() != servedBy_) {
      IM_WARN("inbox", "Redis moved from " + servedBy_ + " to " + redis_.peer() + "; answering held polls");
      if (onPrimaryChanged_) onPrimaryChanged_();
    }
    servedBy_ = redis_.peer();
  }
  if (servedBy_.empty()) servedBy_ = redis_.peer();
  if (!reply->isNil()) {
    batch.notifications = decode(*reply);
    deliver(batch);
  }
  if (running_) pop();  // only now: the batch is handled, so the loop is never flooded
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

// The handler runs inside a read event of the loop: nothing may be thrown across it (STYLE 6).
void RedisInbox::deliver(const NotificationBatch& batch) noexcept {
  if (batch.notifications.empty()) return;
  try {
    onBatch_(batch);
  } catch (const std::exception& e) {
    IM_ERROR("inbox", std::string("batch handler threw: ") + e.what());
  } catch (...) {
    IM_ERROR("inbox", "batch handler threw a non-standard exception");
  }
}

// One line per outage, not one per attempt; the pop is retried by tick().
void RedisInbox::backOff(const std::string& why) {
  if (backoffMs_ == 0) {
    IM_WARN("inbox", "Redis unavailable (" + why + "); retrying with backoff up to " + std::to_string(maxBackoffMs_) + " ms");
  }
  backoffMs_ = backoffMs_ == 0 ? kFirstBackoffMs : std::min(backoffMs_ * 2, maxBackoffMs_);
  retryAtMs_ = clock_.steadyMs() + backoffMs_;
}

}  // namespace im::pushd
