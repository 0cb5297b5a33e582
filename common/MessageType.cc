// SPDX-License-Identifier: MIT
// MessageType.cc - message type names.
#include "common/MessageType.h"

namespace im::common {

std::string_view toString(MessageType type) {
  switch (type) {
    case MessageType::Person: return "";
    case MessageType::MemberAdded: return "member_added";
    case MessageType::MemberRemoved: return "member_removed";
    case MessageType::MemberJoined: return "member_joined";
    case MessageType::MemberLeft: return "member_left";
    case MessageType::RoleChanged: return "role_changed";
    case MessageType::GroupUpdated: return "group_updated";
  }
  return "";
}

std::optional<MessageType> parseMessageType(std::string_view text) {
  for (MessageType t : {MessageType::MemberAdded, MessageType::MemberRemoved, MessageType::MemberJoined,
                        MessageType::MemberLeft, MessageType::RoleChanged, MessageType::GroupUpdated}) {
    if (toString(t) == text) return t;
  }
  return std::nullopt;
}

}  // namespace im::common
