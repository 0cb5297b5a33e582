// SPDX-License-Identifier: MIT
// MessageType.h - what a message is (API.md "Message" `type`): one a person wrote, or the
// record of a group membership change.
#pragma once

#include <optional>
#include <string_view>

namespace im::common {

enum class MessageType { Person, MemberAdded, MemberRemoved, MemberJoined, MemberLeft, RoleChanged, GroupUpdated };

// "member_added", ...: the API's and the database's spelling; "" for Person (no `type`).
std::string_view toString(MessageType type);
// The inverse for the membership types; nullopt for anything else ("" included).
std::optional<MessageType> parseMessageType(std::string_view text);

}  // namespace im::common
