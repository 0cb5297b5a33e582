// SPDX-License-Identifier: MIT
// BackoffTest.cc - full jitter stays within the doubling ceiling and the cap, honours Retry-After.
#include "cli/Backoff.h"

#include <gtest/gtest.h>

namespace im::cli {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DelaysStayUnderTheDoublingCeilingAndTheCap) {
  Backoff b(milliseconds(100), milliseconds(1000), 1);
  for (int i = 0; i < 30; ++i) {
    const auto ceiling = std::min<int64_t>(1000, 100LL << std::min(i, 20));
    const auto d = b.next(0);
    EXPECT_GE(d.count(), 0);
    EXPECT_LE(d.count(), ceiling) << "attempt " << i;
  }
}

TEST(Backoff, JitterSpreadsTheDelays) {
  Backoff b(milliseconds(1000), milliseconds(1000), 7);
  int64_t low = 1000, high = 0;
  for (int i = 0; i < 50; ++i) {
    const auto d = b.next(0).count();
    low = std::min(low, d);
    high = std::max(high, d);
  }
  EXPECT_LT(low, 300);   // full jitter: not "exponential plus a little"
  EXPECT_GT(high, 700);
}

TEST(Backoff, RetryAfterIsAFloor) {
  Backoff b(milliseconds(10), milliseconds(20), 3);
  EXPECT_GE(b.next(2).count(), 2000);
  EXPECT_LE(b.next(0).count(), 20);
}

TEST(Backoff, ResetStartsSmallAgain) {
  Backoff b(milliseconds(100), milliseconds(100000), 5);
  for (int i = 0; i < 10; ++i) b.next(0);
  EXPECT_EQ(b.attempts(), 10);
  b.reset();
  EXPECT_LE(b.next(0).count(), 100);
}

}  // namespace
}  // namespace im::cli
