// SPDX-License-Identifier: MIT
// TimingWheelTest.cc - deadlines, cancellation and scale of the timing wheel on a fake clock.
#include "pushd/TimingWheel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "FakeClock.h"

namespace im::pushd {
namespace {

std::vector<uint64_t> advanceBy(test::FakeClock& clock, TimingWheel& wheel, int64_t ms) {
  clock.advance(ms);
  std::vector<uint64_t> due;
  wheel.advance(due);
  return due;
}

TEST(TimingWheel, FiresAtTheDeadlineNotBefore) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 64);
  wheel.add(100, 7);
  EXPECT_TRUE(advanceBy(clock, wheel, 99).empty());
  EXPECT_EQ(advanceBy(clock, wheel, 1), std::vector<uint64_t>{7});
  EXPECT_EQ(wheel.size(), 0u);
}

TEST(TimingWheel, RoundsAnOffTickDeadlineUpToTheNextTick) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 64);
  clock.advance(3);
  wheel.add(25, 1);  // due at +28: the tick boundary after it is +30
  EXPECT_TRUE(advanceBy(clock, wheel, 26).empty());
  EXPECT_EQ(advanceBy(clock, wheel, 1), std::vector<uint64_t>{1});
}

TEST(TimingWheel, CancelledTimerNeverFires) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 64);
  const auto id = wheel.add(50, 1);
  wheel.add(50, 2);
  EXPECT_TRUE(wheel.cancel(id));
  EXPECT_FALSE(wheel.cancel(id));
  EXPECT_EQ(advanceBy(clock, wheel, 60), std::vector<uint64_t>{2});
}

TEST(TimingWheel, CancelOfAFiredTimerIsIgnoredEvenWhenItsSlotIsReused) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 64);
  const auto fired = wheel.add(10, 1);
  advanceBy(clock, wheel, 10);
  wheel.add(10, 2);  // reuses the freed entry
  EXPECT_FALSE(wheel.cancel(fired));
  EXPECT_EQ(advanceBy(clock, wheel, 10), std::vector<uint64_t>{2});
}

TEST(TimingWheel, TimersBeyondOneRevolutionWaitForTheirRound) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 8);  // one revolution = 80 ms
  wheel.add(250, 1);
  for (int i = 0; i < 24; ++i) EXPECT_TRUE(advanceBy(clock, wheel, 10).empty()) << i;
  EXPECT_EQ(advanceBy(clock, wheel, 10), std::vector<uint64_t>{1});
}

TEST(TimingWheel, ZeroDelayFiresOnTheNextTick) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 64);
  wheel.add(0, 3);
  EXPECT_EQ(advanceBy(clock, wheel, 10), std::vector<uint64_t>{3});
}

TEST(TimingWheel, ALongStallFiresEverythingDue) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 8);
  wheel.add(30, 1);
  wheel.add(500, 2);
  wheel.add(5000, 3);
  auto due = advanceBy(clock, wheel, 1000);
  std::sort(due.begin(), due.end());
  EXPECT_EQ(due, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(wheel.size(), 1u);
}

TEST(TimingWheel, HandlesManyTimersAddedAndCancelled) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 8192);
  std::vector<TimingWheel::TimerId> ids;
  constexpr uint64_t kTimers = 100000;
  for (uint64_t i = 0; i < kTimers; ++i) ids.push_back(wheel.add(static_cast<int64_t>(i % 60000), i));
  for (uint64_t i = 0; i < kTimers; i += 2) EXPECT_TRUE(wheel.cancel(ids[i]));
  EXPECT_EQ(wheel.size(), kTimers / 2);
  size_t fired = 0;
  for (int step = 0; step < 6001; ++step) {
    for (const uint64_t payload : advanceBy(clock, wheel, 10)) {
      EXPECT_EQ(payload % 2, 1u);
      ++fired;
    }
  }
  EXPECT_EQ(fired, kTimers / 2);
  EXPECT_EQ(wheel.size(), 0u);
}

}  // namespace
}  // namespace im::pushd
