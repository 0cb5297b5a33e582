// SPDX-License-Identifier: MIT
// Samples.h - latency samples in microseconds: record, merge across processes, percentiles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace im::bench {

class Samples {
 public:
  void add(int64_t us) { values_.push_back(us < 0 ? 0 : us); }
  void merge(const Samples& other) { values_.insert(values_.end(), other.values_.begin(), other.values_.end()); }
  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }

  // p in [0, 1]; sorts in place (call after the run). 0 when empty.
  int64_t percentile(double p);
  int64_t max();
  // The same, over `population` values of which only these were observed; the rest count as
  // larger than any observed (a message never delivered is slower than every delivered one).
  // -1 when the rank falls on one of the unobserved.
  int64_t percentileOf(double p, size_t population);

  // "v1 v2 ..." and back: how a child hands its samples to the parent over a pipe.
  std::string serialize() const;
  static Samples parse(const std::string& text);

  // {"count":..,"p50_us":..,"p90_us":..,"p99_us":..,"max_us":..}
  std::string json();

 private:
  std::vector<int64_t> values_;
  bool sorted_ = false;
};

}  // namespace im::bench
