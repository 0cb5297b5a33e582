// SPDX-License-Identifier: MIT
// MembershipTextTest.cc - the sentence each membership message carries as its body.
#include "common/MembershipText.h"

#include <gtest/gtest.h>

namespace im::common {
namespace {

TEST(MembershipText, SaysWhoDidWhatToWhom) {
  EXPECT_EQ(membershipText(MessageType::MemberAdded, "alice", "bob"), "alice added bob");
  EXPECT_EQ(membershipText(MessageType::MemberRemoved, "alice", "bob"), "alice removed bob");
  EXPECT_EQ(membershipText(MessageType::MemberJoined, "bob", "bob"), "bob joined");
  EXPECT_EQ(membershipText(MessageType::MemberLeft, "bob", "bob"), "bob left");
  EXPECT_EQ(membershipText(MessageType::RoleChanged, "alice", "bob", GroupRole::Admin), "alice made bob an admin");
  EXPECT_EQ(membershipText(MessageType::RoleChanged, "alice", "bob", GroupRole::Member), "alice made bob a member");
  EXPECT_EQ(membershipText(MessageType::RoleChanged, "alice", "bob", GroupRole::Owner), "bob is now the owner");
}

TEST(MembershipText, GroupUpdatedNamesWhatChanged) {
  EXPECT_EQ(groupUpdatedText("alice", std::string("ops"), std::nullopt), "alice renamed the group to \"ops\"");
  EXPECT_EQ(groupUpdatedText("alice", std::nullopt, true), "alice made the group public");
  EXPECT_EQ(groupUpdatedText("alice", std::nullopt, false), "alice made the group private");
  EXPECT_EQ(groupUpdatedText("alice", std::string("ops"), false),
            "alice renamed the group to \"ops\" and made it private");
}

}  // namespace
}  // namespace im::common
