// SPDX-License-Identifier: MIT
// Backoff.cc - full jitter: clients that failed together do not retry together.
#include "cli/Backoff.h"

#include <algorithm>

namespace im::cli {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, uint64_t seed)
    : base_(base), cap_(cap), random_(seed) {}

std::chrono::milliseconds Backoff::next(int retryAfterS) {
  const int shift = std::min(attempt_, 20);  // 2^20 x base is past any cap; no overflow
  ++attempt_;
  const auto ceiling = std::min<int64_t>(cap_.count(), base_.count() << shift);
  std::uniform_int_distribution<int64_t> pick(0, ceiling);
  const auto floor = std::chrono::milliseconds(int64_t{std::max(retryAfterS, 0)} * 1000);
  return std::max(std::chrono::milliseconds(pick(random_)), floor);
}

}  // namespace im::cli
