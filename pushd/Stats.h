// SPDX-License-Identifier: MIT
// Stats.h - the counters of GET /stats, for operators, tests (wait on held_polls) and the
// benchmark (push-leg latency: notification popped from Redis -> answer written to the socket).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/Clock.h"

namespace im::pushd {

// Not thread safe: every method runs on the loop thread (its users there: PollRegistry,
// PollServer, RedisInbox). Only nowUs() may be called anywhere.
class Stats {
 public:
  static constexpr size_t kLatencySamples = 65536;  // the most recent push-leg latencies
  // Push-leg histogram upper bounds, microseconds (fcgi renders them as Prometheus `le`; +Inf last).
  static constexpr std::array<uint64_t, 12> kBucketsUs = {100,   250,   500,    1000,   2500,   5000,
                                                          10000, 25000, 50000, 100000, 250000, 1000000};

  Stats(std::string nodeId, const common::Clock& clock);
  Stats(const Stats&) = delete;
  Stats& operator=(const Stats&) = delete;

  // Microseconds on the steady clock: the time base of push-leg latencies. Thread safe.
  static int64_t nowUs();

  void countNotifications(size_t n) { notifications_ += n; }
  void countDelivery() { ++deliveries_; }
  void countEarly() { ++early_; }
  void countEventAnswer() { ++eventAnswers_; }  // an answer carried events (API.md "Events")
  void countTimeout() { ++timeouts_; }  // a held poll answered by its own timeout
  void countGapWait() { ++gapWaits_; }  // a gap wait that ran out (answered what was consecutive)
  void countRedisReconnect() { ++redisReconnects_; }  // an outage of the inbox's Redis it came back from
  void recordPushLatencyUs(int64_t us);
  // A connection accepted on the node's TCP port or on its unix socket (PollServer): which way
  // nginx's hand-overs come (docs/internals.md "The poll hand-over").
  void countAccept(bool overUnix) { ++(overUnix ? acceptedUnix_ : acceptedTcp_); }

  // The /stats body, with the gauges of PollRegistry and EarlyNotifications.
  std::string render(size_t heldPolls, size_t buffered) const;

  uint64_t notifications() const { return notifications_; }
  uint64_t deliveries() const { return deliveries_; }
  uint64_t early() const { return early_; }
  uint64_t eventAnswers() const { return eventAnswers_; }
  uint64_t redisReconnects() const { return redisReconnects_; }

 private:
  int64_t percentile(std::vector<uint32_t>& sorted, double p) const;

  const std::string nodeId_;
  const common::Clock& clock_;
  const int64_t startMs_;
  uint64_t notifications_ = 0;
  uint64_t deliveries_ = 0;
  uint64_t early_ = 0;
  uint64_t eventAnswers_ = 0;
  uint64_t timeouts_ = 0;
  uint64_t gapWaits_ = 0;
  uint64_t redisReconnects_ = 0;
  uint64_t acceptedTcp_ = 0;
  uint64_t acceptedUnix_ = 0;
  uint64_t latencyCount_ = 0;
  uint64_t latencySumUs_ = 0;
  std::array<uint64_t, kBucketsUs.size() + 1> buckets_{};  // every sample, not only the ring's
  std::vector<uint32_t> latencyUs_;  // ring buffer, kLatencySamples long once full
};

}  // namespace im::pushd
