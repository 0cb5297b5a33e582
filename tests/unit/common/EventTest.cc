// SPDX-License-Identifier: MIT
// EventTest.cc - the typing and read events as each side sees them, and who gets which payload.
#include "common/Event.h"

#include <gtest/gtest.h>

namespace im::common {
namespace {

constexpr uint64_t kAlice = 1, kBob = 2, kCarol = 3;

TEST(Event, RendersTheShapesOfTheApi) {
  EXPECT_EQ(renderTypingEvent(2, Conversation{.with = 2}), R"({"type":"typing","from":2,"with":2})");
  EXPECT_EQ(renderTypingEvent(2, Conversation{.group = 7}), R"({"type":"typing","from":2,"group":7})");
  EXPECT_EQ(renderReadEvent(2, Conversation{.with = 2}, 42), R"({"type":"read","from":2,"with":2,"msg_id":42})");
  EXPECT_EQ(renderReadEvent(2, Conversation{.group = 7}, 42), R"({"type":"read","from":2,"group":7,"msg_id":42})");
}

// API.md's example: bob (2) reads his chat with alice (1).
TEST(Event, AReadInADirectChatNamesTheChatAsEachSideSeesIt) {
  const auto d = readDeliveries(kBob, Conversation{.with = kAlice}, 42, {});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], (EventDelivery{R"({"type":"read","from":2,"with":2,"msg_id":42})", {kAlice}}));
  EXPECT_EQ(d[1], (EventDelivery{R"({"type":"read","from":2,"with":1,"msg_id":42})", {kBob}}));
}

TEST(Event, AReadOfOnesOwnChatGoesToOnesOwnDevicesOnce) {
  const auto d = readDeliveries(kBob, Conversation{.with = kBob}, 9, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], (EventDelivery{R"({"type":"read","from":2,"with":2,"msg_id":9})", {kBob}}));
}

TEST(Event, AGroupReadIsOnePayloadForEveryMemberTheReaderIncluded) {
  const auto d = readDeliveries(kBob, Conversation{.group = 7}, 42, {kCarol, kAlice, kBob, kAlice});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], (EventDelivery{R"({"type":"read","from":2,"group":7,"msg_id":42})", {kAlice, kBob, kCarol}}));
}

TEST(Event, TypingGoesToTheOtherParticipantsOnly) {
  const auto direct = typingDeliveries(kBob, Conversation{.with = kAlice}, {});
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(direct[0], (EventDelivery{R"({"type":"typing","from":2,"with":2})", {kAlice}}));
  const auto group = typingDeliveries(kBob, Conversation{.group = 7}, {kAlice, kBob, kCarol});
  ASSERT_EQ(group.size(), 1u);
  EXPECT_EQ(group[0], (EventDelivery{R"({"type":"typing","from":2,"group":7})", {kAlice, kCarol}}));
}

TEST(Event, TypingToOneselfOrInAGroupOfOneReachesNobody) {
  EXPECT_TRUE(typingDeliveries(kBob, Conversation{.with = kBob}, {}).empty());
  EXPECT_TRUE(typingDeliveries(kBob, Conversation{.group = 7}, {kBob}).empty());
}

}  // namespace
}  // namespace im::common
