// SPDX-License-Identifier: MIT
// Stats.cc - counters, a ring of recent latencies and the /stats JSON.
#include "pushd/Stats.h"

#include <algorithm>
#include <chrono>

#include "common/Json.h"

namespace im::pushd {

Stats::Stats(std::string nodeId, const common::Clock& clock)
    : nodeId_(std::move(nodeId)), clock_(clock), startMs_(clock.steadyMs()) {}

int64_t Stats::nowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Stats::recordPushLatencyUs(int64_t us) {
  const auto value = static_cast<uint32_t>(std::clamp<int64_t>(us, 0, UINT32_MAX));
  if (latencyUs_.size() < kLatencySamples) {
    latencyUs_.push_back(value);
  } else {
    latencyUs_[latencyCount_ % kLatencySamples] = value;
  }
  ++latencyCount_;
  latencySumUs_ += value;
  size_t bucket = 0;
  while (bucket < kBucketsUs.size() && value > kBucketsUs[bucket]) ++bucket;
  ++buckets_[bucket];
}

int64_t Stats::percentile(std::vector<uint32_t>& samples, double p) const {
  if (samples.empty()) return 0;
  const auto rank = static_cast<size_t>(p * static_cast<double>(samples.size() - 1));
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(rank), samples.end());
  return samples[rank];
}

std::string Stats::render(size_t heldPolls, size_t buffered) const {
  std::vector<uint32_t> samples = latencyUs_;
  common::JsonWriter w;
  w.beginObject()
      .key("node").string(nodeId_)
      .key("held_polls").number(static_cast<uint64_t>(heldPolls))
      .key("notifications").number(notifications_)
      .key("deliveries").number(deliveries_)
      .key("early").number(early_)
      .key("event_answers").number(eventAnswers_)
      .key("uptime_s").number((clock_.steadyMs() - startMs_) / 1000)
      .key("buffered").number(static_cast<uint64_t>(buffered))
      .key("push_latency_samples").number(latencyCount_)
      .key("push_latency_p50_us").number(percentile(samples, 0.50))
      .key("push_latency_p99_us").number(percentile(samples, 0.99))
      .key("timeouts").number(timeouts_)
      .key("gap_waits").number(gapWaits_)
      .key("redis_reconnects").number(redisReconnects_)
      .key("accepted_tcp").number(acceptedTcp_)
      .key("accepted_unix").number(acceptedUnix_)
      .key("push_latency_sum_us").number(latencySumUs_);
  w.key("push_latency_le_us").beginArray();
  for (const uint64_t le : kBucketsUs) w.number(le);
  w.endArray().key("push_latency_counts").beginArray();
  for (const uint64_t n : buckets_) w.number(n);
  w.endArray().endObject();
  return w.take();
}

}  // namespace im::pushd
