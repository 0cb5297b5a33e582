// SPDX-License-Identifier: MIT
// EarlyNotificationsTest.cc - the window of invariant 3 and the bounds of invariant 6.
#include "pushd/EarlyNotifications.h"

#include <gtest/gtest.h>

namespace im::pushd {
namespace {

MessageText text(const char* s) { return std::make_shared<const std::string>(s); }

TEST(EarlyNotifications, KeepsEntriesForTheWindowThenDropsThem) {
  EarlyNotifications early(5000);
  early.add(1, 1, text("{\"a\":1}"), 1000);
  early.add(1, 2, text("{\"a\":2}"), 3000);
  early.expire(5999);
  ASSERT_NE(early.find(1), nullptr);
  EXPECT_EQ(early.find(1)->size(), 2u);
  early.expire(6000);
  ASSERT_NE(early.find(1), nullptr);
  EXPECT_EQ(early.find(1)->count(1), 0u);
  EXPECT_EQ(early.find(1)->count(2), 1u);
  early.expire(8000);
  EXPECT_EQ(early.find(1), nullptr);
  EXPECT_EQ(early.size(), 0u);
  EXPECT_EQ(early.uids(), 0u);
}

TEST(EarlyNotifications, SaysWhenItsNextEntryExpires) {
  EarlyNotifications early(5000);
  EXPECT_EQ(early.nextExpiryMs(), std::nullopt);
  early.add(1, 1, text("{}"), 1000);
  early.add(2, 1, text("{}"), 3000);
  EXPECT_EQ(early.nextExpiryMs(), 6000);
  early.expire(6000);
  EXPECT_EQ(early.nextExpiryMs(), 8000);
  early.expire(8000);
  EXPECT_EQ(early.nextExpiryMs(), std::nullopt);
}

TEST(EarlyNotifications, ADuplicateKeepsTheFirstEntry) {
  EarlyNotifications early(5000);
  early.add(1, 1, text("{\"first\":1}"), 1000);
  early.add(1, 1, text("{\"second\":1}"), 2000);
  EXPECT_EQ(early.size(), 1u);
  EXPECT_EQ(*early.find(1)->at(1).message, "{\"first\":1}");
  early.expire(6000);
  EXPECT_EQ(early.size(), 0u);
}

TEST(EarlyNotifications, CapsEachUidByDroppingItsLowestSeqs) {
  EarlyNotifications early(5000, 3, 100);
  for (uint64_t seq = 1; seq <= 5; ++seq) early.add(7, seq, text("{}"), 1000);
  const SeqBuffer* b = early.find(7);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->size(), 3u);
  EXPECT_EQ(b->begin()->first, 3u);
  EXPECT_EQ(early.size(), 3u);
}

TEST(EarlyNotifications, CapsTheTotalByDroppingTheOldestArrivals) {
  EarlyNotifications early(5000, 1000, 4);
  for (uint64_t uid = 1; uid <= 6; ++uid) early.add(uid, 1, text("{}"), 1000 + static_cast<int64_t>(uid));
  EXPECT_EQ(early.size(), 4u);
  EXPECT_EQ(early.find(1), nullptr);
  EXPECT_EQ(early.find(2), nullptr);
  EXPECT_NE(early.find(6), nullptr);
}

TEST(EarlyNotifications, AnEvictedSeqNotifiedAgainLivesItsNewWindow) {
  EarlyNotifications early(5000, 1, 100);
  early.add(1, 1, text("{}"), 1000);
  early.add(1, 2, text("{}"), 1000);  // evicts seq 1
  early.add(1, 1, text("{}"), 4000);  // back, then evicts seq 1 again (lowest): cap holds
  EXPECT_EQ(early.size(), 1u);
  early.expire(6000);
  EXPECT_EQ(early.size(), 0u);
}

TEST(EarlyNotifications, SharesOneMessageTextBetweenRecipients) {
  EarlyNotifications early(5000);
  const MessageText shared = text("{\"group\":7}");
  early.add(1, 10, shared, 1000);
  early.add(2, 20, shared, 1000);
  EXPECT_EQ(early.find(1)->at(10).message.get(), early.find(2)->at(20).message.get());
}

}  // namespace
}  // namespace im::pushd
