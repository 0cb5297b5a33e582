// SPDX-License-Identifier: MIT
// Backoff.cc - the delay computation; the caller owns the per-connection failure count.
#include "bench/Backoff.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace im::bench {

int64_t Backoff::delayUs(unsigned failures, int64_t retryAfterUs, std::mt19937_64& rng) {
  int64_t window = kBaseUs;
  for (unsigned i = 1; i < failures && window < kCapUs; ++i) window *= 2;
  window = std::min(window, kCapUs);
  const auto jittered = static_cast<int64_t>(rng() % static_cast<uint64_t>(window + 1));
  return std::max(jittered, retryAfterUs);
}

int64_t Backoff::parseRetryAfterUs(const std::string& value) {
  if (value.empty() || !std::isdigit(static_cast<unsigned char>(value[0]))) return 0;
  const long long seconds = std::strtoll(value.c_str(), nullptr, 10);  // saturates, never throws
  // A server asking for more than the cap is still obeyed, up to an hour (a typo must not park
  // the generator for the rest of the run).
  return std::min<long long>(seconds, 3600) * 1'000'000;
}

}  // namespace im::bench
