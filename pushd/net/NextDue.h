// SPDX-License-Identifier: MIT
// NextDue.h - when a timer source next has work: a time in milliseconds (on its own clock, or
// from now), or nullopt when nothing is pending; the earliest of two, and the same from now.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

namespace im::net {

using NextDue = std::optional<int64_t>;

// Nothing pending waits forever, so it never wins.
inline NextDue earliest(NextDue a, NextDue b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// `at` (ms on a clock that reads `nowMs`) as milliseconds from now: 0 or less is due now.
inline NextDue fromNow(NextDue at, int64_t nowMs) {
  if (!at) return std::nullopt;
  return *at - nowMs;
}

}  // namespace im::net
