// SPDX-License-Identifier: MIT
// MessageTypeTest.cc - the API.md spelling of each message type, and what does not parse.
#include "common/MessageType.h"

#include <gtest/gtest.h>

namespace im::common {
namespace {

TEST(MessageType, TheSixMembershipTypesHaveApiNamesAndRoundTrip) {
  const std::pair<MessageType, const char*> names[] = {
      {MessageType::MemberAdded, "member_added"}, {MessageType::MemberRemoved, "member_removed"},
      {MessageType::MemberJoined, "member_joined"}, {MessageType::MemberLeft, "member_left"},
      {MessageType::RoleChanged, "role_changed"}, {MessageType::GroupUpdated, "group_updated"}};
  for (const auto& [type, name] : names) {
    EXPECT_EQ(toString(type), name);
    EXPECT_EQ(parseMessageType(name), type);
  }
}

TEST(MessageType, APersonsMessageHasNoTypeName) {
  EXPECT_EQ(toString(MessageType::Person), "");
  for (const char* bad : {"", "person", "text", "Member_added", "member_added "}) {
    EXPECT_FALSE(parseMessageType(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace im::common
