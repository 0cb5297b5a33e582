// SPDX-License-Identifier: MIT
// NodeRingTest.cc - consistent hashing: stable, balanced, and minimal movement on membership change.
#include "common/NodeRing.h"

#include <gtest/gtest.h>

#include <map>

using im::common::NodeRing;

TEST(NodeRing, AnswersEmptyWithoutNodes) {
  const NodeRing ring;
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.nodeFor(42), "");
}

TEST(NodeRing, GivesEveryUserTheOnlyNode) {
  const NodeRing ring({"127.0.0.1:9101"});
  for (uint64_t uid = 1; uid < 100; ++uid) EXPECT_EQ(ring.nodeFor(uid), "127.0.0.1:9101");
}

TEST(NodeRing, DoesNotDependOnTheOrderNodesAreListed) {
  const NodeRing a({"n1:1", "n2:2", "n3:3"});
  const NodeRing b({"n3:3", "n1:1", "n2:2", "n1:1"});
  for (uint64_t uid = 1; uid < 1000; ++uid) EXPECT_EQ(a.nodeFor(uid), b.nodeFor(uid));
}

TEST(NodeRing, SpreadsUsersEvenlyAcrossNodes) {
  const NodeRing ring({"127.0.0.1:9101", "127.0.0.1:9102", "127.0.0.1:9103", "127.0.0.1:9104"});
  std::map<std::string, int> counts;
  const int users = 40000;
  for (uint64_t uid = 1; uid <= users; ++uid) ++counts[ring.nodeFor(uid)];
  ASSERT_EQ(counts.size(), 4u);
  for (const auto& [node, n] : counts) {
    EXPECT_GT(n, users / 4 * 80 / 100) << node;  // within 20% of a fair share
    EXPECT_LT(n, users / 4 * 120 / 100) << node;
  }
}

TEST(NodeRing, RemovingANodeMovesOnlyItsUsers) {
  const NodeRing before({"a:1", "b:2", "c:3"});
  const NodeRing after({"a:1", "c:3"});
  for (uint64_t uid = 1; uid <= 10000; ++uid) {
    if (before.nodeFor(uid) != "b:2") {
      EXPECT_EQ(after.nodeFor(uid), before.nodeFor(uid)) << uid;
    }
  }
}

TEST(NodeRing, AddingANodeMovesUsersOnlyToIt) {
  const NodeRing before({"a:1", "b:2"});
  const NodeRing after({"a:1", "b:2", "c:3"});
  int moved = 0;
  for (uint64_t uid = 1; uid <= 10000; ++uid) {
    if (after.nodeFor(uid) != before.nodeFor(uid)) {
      EXPECT_EQ(after.nodeFor(uid), "c:3");
      ++moved;
    }
  }
  EXPECT_GT(moved, 2500);  // about a third moves, to the new node only
  EXPECT_LT(moved, 4200);
}
