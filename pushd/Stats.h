// SPDX-License-Identifier: MIT
// Stats.h - the counters of GET /stats, for operators, tests (wait on held_polls) and the
// benchmark (push-leg latency: notification popped from Redis -> answer written to the socket).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/Clock.h"

namespace im::pushd {

// Not thread safe: every method runs on the loop thread (its owners there: PollRegistry,
// PollServer). Only nowUs() may be called anywhere.
class Stats {
 public:
  static constexpr size_t kLatencySamples = 65536;  // the most recent push-leg latencies

  Stats(std::string nodeId, const common::Clock& clock);
  Stats(const Stats&) = delete;
  Stats& operator=(const Stats&) = delete;

  // Microseconds on the steady clock: the time base of push-leg latencies. Thread safe.
  static int64_t nowUs();

  void countNotifications(size_t n) { notifications_ += n; }
  void countDelivery() { ++deliveries_; }
  void countEarly() { ++early_; }
  void countEventAnswer() { ++eventAnswers_; }  // an answer carried events (API.md "Events")
  void recordPushLatencyUs(int64_t us);

  // The /stats body.
  std::string render(size_t heldPolls, size_t buffered) const;

  uint64_t notifications() const { return notifications_; }
  uint64_t deliveries() const { return deliveries_; }
  uint64_t early() const { return early_; }
  uint64_t eventAnswers() const { return eventAnswers_; }

 private:
  int64_t percentile(std::vector<uint32_t>& sorted, double p) const;

  const std::string nodeId_;
  const common::Clock& clock_;
  const int64_t startMs_;
  uint64_t notifications_ = 0;
  uint64_t deliveries_ = 0;
  uint64_t early_ = 0;
  uint64_t eventAnswers_ = 0;
  uint64_t latencyCount_ = 0;
  std::vector<uint32_t> latencyUs_;  // ring buffer, kLatencySamples long once full
};

}  // namespace im::pushd
