// SPDX-License-Identifier: MIT
// PendingEventsTest.cc - events kept for a uid between its polls: taken once, expired, bounded.
#include "pushd/PendingEvents.h"

#include <gtest/gtest.h>

#include <string>

namespace im::pushd {
namespace {

EventText text(const std::string& s) { return std::make_shared<const std::string>(s); }

TEST(PendingEvents, TheNextPollTakesTheEventsOnceInArrivalOrder) {
  PendingEvents pending(2000);
  pending.add(1, text("a"), 0);
  pending.add(1, text("b"), 10);
  pending.add(2, text("c"), 10);
  EventList out;
  pending.take(1, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(*out[0], "a");
  EXPECT_EQ(*out[1], "b");
  EXPECT_EQ(pending.size(), 1u);
  out.clear();
  pending.take(1, out);
  EXPECT_TRUE(out.empty());
}

TEST(PendingEvents, DropsEventsWhoseWindowEnded) {
  PendingEvents pending(2000);
  pending.add(1, text("old"), 0);
  pending.add(1, text("new"), 1500);
  pending.expire(1999);
  EXPECT_EQ(pending.size(), 2u);
  pending.expire(2000);
  EXPECT_EQ(pending.size(), 1u);
  EventList out;
  pending.take(1, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(*out[0], "new");
  pending.expire(10000);  // the taken event's arrival is skipped
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PendingEvents, SaysWhenItsNextEventExpires) {
  PendingEvents pending(2000);
  EXPECT_EQ(pending.nextExpiryMs(), std::nullopt);
  pending.add(1, text("a"), 0);
  pending.add(2, text("b"), 500);
  EXPECT_EQ(pending.nextExpiryMs(), 2000);
  pending.expire(2000);
  EXPECT_EQ(pending.nextExpiryMs(), 2500);
  pending.expire(2500);
  EXPECT_EQ(pending.nextExpiryMs(), std::nullopt);
}

TEST(PendingEvents, KeepsAtMostTheCapPerUid) {
  PendingEvents pending(2000);
  for (size_t i = 0; i < PendingEvents::kPerUidCap + 5; ++i) pending.add(1, text(std::to_string(i)), 0);
  EXPECT_EQ(pending.size(), PendingEvents::kPerUidCap);
  EventList out;
  pending.take(1, out);
  EXPECT_EQ(*out.front(), "0");  // the oldest are kept; the overflow is dropped
}

}  // namespace
}  // namespace im::pushd
