// SPDX-License-Identifier: MIT
// Backoff.h - when a failed poll (non-200 answer or a connection error) may try again: what a
// well-behaved client does with API.md's 503 `unavailable`. Exponential, full jitter, Retry-After.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace im::bench {

class Backoff {
 public:
  static constexpr int64_t kBaseUs = 500'000;    // the first retry waits up to 0.5 s
  static constexpr int64_t kCapUs = 30'000'000;  // the window stops doubling at 30 s

  // The delay before retry number `failures` (1 = the first failure since the last success):
  // uniform in [0, min(cap, base * 2^(failures-1))], and never less than `retryAfterUs` (the
  // server's Retry-After, 0 when absent). Full jitter: 100,000 clients failing together spread
  // their retries over the whole window instead of coming back as one wave (the 100k hold's
  // metastable overload: a fixed 0.5-1.5 s retry kept the fcgi backlog full forever).
  static int64_t delayUs(unsigned failures, int64_t retryAfterUs, std::mt19937_64& rng);

  // Retry-After in microseconds: delta-seconds only (what fcgi and nginx send); 0 otherwise.
  static int64_t parseRetryAfterUs(const std::string& value);
};

}  // namespace im::bench
