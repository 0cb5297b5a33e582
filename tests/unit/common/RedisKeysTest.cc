// SPDX-License-Identifier: MIT
// RedisKeysTest.cc - key names carry the hash tags a Redis Cluster needs, exactly as docs/internals.md lists.
#include "common/RedisKeys.h"

#include <gtest/gtest.h>

namespace keys = im::common::RedisKeys;

TEST(RedisKeys, TagsUserKeysWithTheUid) { EXPECT_EQ(keys::session(42), "im:{42}:session"); }

TEST(RedisKeys, TagsNodeKeysWithTheNodeId) {
  EXPECT_EQ(keys::nodeNotify("127.0.0.1:9101"), "im:{node:127.0.0.1:9101}:notify");
  EXPECT_EQ(keys::nodeBeat("127.0.0.1:9101"), "im:{node:127.0.0.1:9101}:beat");
}

TEST(RedisKeys, NamesTheGlobalSets) {
  EXPECT_EQ(keys::presence(), "im:presence");
  EXPECT_EQ(keys::nodes(), "im:nodes");
}

TEST(RedisKeys, KeepsTheSendCounterInTheUsersSlot) { EXPECT_EQ(keys::sendRate(42), "im:{42}:rate:send"); }

TEST(RedisKeys, NamesLoginCountersByAccountAndByAddress) {
  EXPECT_EQ(keys::loginRateUser("alice"), "im:rate:login:user:alice");
  EXPECT_EQ(keys::loginRateAddr("2001:db8::1"), "im:rate:login:addr:2001:db8::1");
}

TEST(RedisKeys, KeepsTheTypingGateInTheSendersSlotPerConversation) {
  EXPECT_EQ(keys::typingGate(42, "u7"), "im:{42}:typing:u7");
  EXPECT_EQ(keys::typingGate(42, "g7"), "im:{42}:typing:g7");
}
