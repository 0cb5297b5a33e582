// SPDX-License-Identifier: MIT
// Backoff.h - exponential back-off with full jitter (a uniform delay in [0, min(cap, base*2^n)]),
// never shorter than the server's Retry-After. Not thread safe; one per retry loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace im::cli {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, uint64_t seed);

  // The delay before the next attempt; `retryAfterS` > 0 is a floor the server asked for.
  std::chrono::milliseconds next(int retryAfterS);
  void reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  std::chrono::milliseconds base_, cap_;
  int attempt_ = 0;
  std::mt19937_64 random_;
};

}  // namespace im::cli
