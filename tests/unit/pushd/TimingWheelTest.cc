// SPDX-License-Identifier: MIT
// TimingWheelTest.cc - deadlines, cancellation, scale and the next-due answer (what the loop
// sleeps until) of the timing wheel on a fake clock.
#include "pushd/TimingWheel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <map>
#include <random>
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

TEST(TimingWheel, SaysWhenItsEarliestTimerIsDue) {
  test::FakeClock clock;  // starts at 1000: the wheel's origin
  TimingWheel wheel(clock, 10, 64);
  EXPECT_EQ(wheel.nextDueMs(), std::nullopt) << "no timer: the loop need not wake";
  wheel.add(100, 1);
  EXPECT_EQ(wheel.nextDueMs(), 1100);
  wheel.add(45, 2);
  EXPECT_EQ(wheel.nextDueMs(), 1050) << "rounded up to the tick advance() fires it in";
  wheel.add(300, 3);
  EXPECT_EQ(wheel.nextDueMs(), 1050);
}

TEST(TimingWheel, NextDueMovesOnWhenTheEarliestIsCancelledOrFires) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 64);
  const auto first = wheel.add(30, 1);
  wheel.add(30, 2);
  wheel.add(50, 3);
  EXPECT_TRUE(wheel.cancel(first));
  EXPECT_EQ(wheel.nextDueMs(), 1030) << "another timer shares the tick";
  EXPECT_TRUE(advanceBy(clock, wheel, 29).empty());
  EXPECT_EQ(advanceBy(clock, wheel, 1), std::vector<uint64_t>{2});
  EXPECT_EQ(wheel.nextDueMs(), 1050);
  EXPECT_EQ(advanceBy(clock, wheel, 20), std::vector<uint64_t>{3});
  EXPECT_EQ(wheel.nextDueMs(), std::nullopt);
  wheel.add(10, 4);
  EXPECT_EQ(wheel.nextDueMs(), 1060);
}

TEST(TimingWheel, NextDueIsExactAcrossASlotWrapAndBeyondOneRevolution) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 8);  // one revolution = 80 ms
  advanceBy(clock, wheel, 60);      // processed tick 6 of 0..7
  const auto wrapped = wheel.add(30, 1);  // tick 9: slot 1, past the end of the slot array
  const auto later = wheel.add(250, 2);   // tick 31: slot 7, three revolutions on
  EXPECT_EQ(wheel.nextDueMs(), 1090);
  EXPECT_TRUE(wheel.cancel(wrapped));
  EXPECT_EQ(wheel.nextDueMs(), 1310) << "not the slot's next pass (1070): the timer's own round";
  wheel.add(90, 3);  // tick 15: slot 7 again, behind tick 31 in the same list
  EXPECT_EQ(wheel.nextDueMs(), 1150);
  EXPECT_EQ(advanceBy(clock, wheel, 90), std::vector<uint64_t>{3});
  EXPECT_EQ(wheel.nextDueMs(), 1310);
  EXPECT_TRUE(wheel.cancel(later));
  EXPECT_EQ(wheel.nextDueMs(), std::nullopt);
}

TEST(TimingWheel, NextDueIsExactAfterALongStall) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 8);
  clock.advance(5000);  // nothing advanced the wheel meanwhile: nothing was due
  wheel.add(20, 1);
  EXPECT_EQ(wheel.nextDueMs(), 6020);
  EXPECT_TRUE(advanceBy(clock, wheel, 19).empty());
  EXPECT_EQ(advanceBy(clock, wheel, 1), std::vector<uint64_t>{1});
}

// The loop's contract, on random adds, cancels and clock steps (short ones and stalls over
// several revolutions): advance() fires something exactly when nextDueMs() has come, which is
// never before the earliest pending timer's time and at most one tick after it.
TEST(TimingWheel, NextDueAgreesWithAdvanceOnRandomTimers) {
  test::FakeClock clock;
  TimingWheel wheel(clock, 10, 64);  // one revolution = 640 ms
  std::mt19937 random(14);
  std::map<TimingWheel::TimerId, int64_t> pending;  // id -> the time it was asked for
  std::map<uint64_t, TimingWheel::TimerId> byPayload;
  uint64_t nextPayload = 1;
  for (int step = 0; step < 20000; ++step) {
    const auto op = random() % 20;
    if (op < 9) {
      const int64_t delay = static_cast<int64_t>(random() % 1500);
      const auto id = wheel.add(delay, nextPayload);
      pending[id] = clock.steadyMs() + delay;
      byPayload[nextPayload++] = id;
    } else if (op < 14 && !pending.empty()) {
      auto it = std::next(pending.begin(), static_cast<long>(random() % pending.size()));
      EXPECT_TRUE(wheel.cancel(it->first));
      pending.erase(it);
    } else {
      const auto due = wheel.nextDueMs();
      const auto fired = advanceBy(clock, wheel, static_cast<int64_t>(op == 19 ? random() % 2000 : random() % 40));
      const int64_t now = clock.steadyMs();
      EXPECT_EQ(!fired.empty(), due && *due <= now) << "step " << step;
      for (const uint64_t payload : fired) {
        const auto it = pending.find(byPayload.at(payload));
        ASSERT_NE(it, pending.end()) << "fired twice or after its cancel";
        EXPECT_LE(it->second, now) << "fired early";
        pending.erase(it);
      }
      for (const auto& [id, askedMs] : pending) ASSERT_GT(askedMs + wheel.tickMs(), now) << "more than a tick late";
    }
    const auto due = wheel.nextDueMs();
    ASSERT_EQ(due.has_value(), !pending.empty());
    if (!due) continue;
    int64_t earliestAsked = INT64_MAX;
    for (const auto& [id, askedMs] : pending) earliestAsked = std::min(earliestAsked, askedMs);
    ASSERT_GE(*due, earliestAsked) << "step " << step;
    ASSERT_LE(*due, earliestAsked + wheel.tickMs()) << "step " << step;
  }
}

TEST(TimingWheel, RoundsOtherExpiriesUpToItsTicks) {
  test::FakeClock clock;
  const TimingWheel wheel(clock, 10, 64);
  EXPECT_EQ(wheel.tickAtOrAfter(1000), 1000);
  EXPECT_EQ(wheel.tickAtOrAfter(1001), 1010);
  EXPECT_EQ(wheel.tickAtOrAfter(1010), 1010);
  EXPECT_EQ(wheel.tickAtOrAfter(5), 1000) << "before the origin: its first tick";
}

}  // namespace
}  // namespace im::pushd
