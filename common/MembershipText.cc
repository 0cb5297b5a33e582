// SPDX-License-Identifier: MIT
// MembershipText.cc - the sentences of membership messages.
#include "common/MembershipText.h"

namespace im::common {
namespace {

std::string join(std::string_view a, std::string_view b, std::string_view c = {}) {
  std::string out(a);
  out += b;
  out += c;
  return out;
}

}  // namespace

std::string membershipText(MessageType type, std::string_view actor, std::string_view target,
                           std::optional<GroupRole> role) {
  switch (type) {
    case MessageType::MemberAdded: return join(actor, " added ", target);
    case MessageType::MemberRemoved: return join(actor, " removed ", target);
    case MessageType::MemberJoined: return join(target, " joined");
    case MessageType::MemberLeft: return join(target, " left");
    case MessageType::RoleChanged:
      if (role == GroupRole::Owner) return join(target, " is now the owner");
      return join(actor, " made ", target) + (role == GroupRole::Admin ? " an admin" : " a member");
    case MessageType::Person:
    case MessageType::GroupUpdated: break;
  }
  return join(actor, " changed the group");
}

std::string groupUpdatedText(std::string_view actor, const std::optional<std::string>& name,
                             std::optional<bool> isPublic) {
  std::string out(actor);
  if (name) out += " renamed the group to \"" + *name + "\"";
  if (name && isPublic) out += " and made it ";
  else if (isPublic) out += " made the group ";
  if (isPublic) out += *isPublic ? "public" : "private";
  return out;
}

}  // namespace im::common
