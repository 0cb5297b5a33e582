// SPDX-License-Identifier: MIT
// Samples.cc - nearest-rank percentiles over the full sample set (no histogram buckets: the
// counts here are small enough, at most a few million, to keep every value).
#include "bench/Samples.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace im::bench {

int64_t Samples::percentile(double p) {
  if (values_.empty()) return 0;
  if (!sorted_) {
    std::sort(values_.begin(), values_.end());
    sorted_ = true;
  }
  const auto rank = static_cast<size_t>(p * static_cast<double>(values_.size() - 1) + 0.5);
  return values_[std::min(rank, values_.size() - 1)];
}

int64_t Samples::max() { return percentile(1.0); }

int64_t Samples::percentileOf(double p, size_t population) {
  if (population == 0) return 0;
  if (population <= values_.size()) population = values_.size();
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(population)));  // 1-based nearest rank
  if (rank == 0) return percentile(0);
  if (rank > values_.size()) return -1;
  percentile(0);  // sorts
  return values_[rank - 1];
}

std::string Samples::serialize() const {
  std::string out;
  out.reserve(values_.size() * 6);
  for (const int64_t v : values_) {
    out += std::to_string(v);
    out += ' ';
  }
  return out;
}

Samples Samples::parse(const std::string& text) {
  Samples s;
  const char* p = text.c_str();
  char* end = nullptr;
  while (true) {
    const long long v = std::strtoll(p, &end, 10);
    if (end == p) break;
    s.values_.push_back(v);
    p = end;
  }
  return s;
}

std::string Samples::json() {
  std::ostringstream out;
  out << "{\"count\":" << values_.size() << ",\"p50_us\":" << percentile(0.5) << ",\"p90_us\":" << percentile(0.9)
      << ",\"p99_us\":" << percentile(0.99) << ",\"max_us\":" << max() << "}";
  return out.str();
}

}  // namespace im::bench
