// SPDX-License-Identifier: MIT
// GroupRole.cc - role names and the permission rules.
#include "common/GroupRole.h"

namespace im::common {

std::string_view toString(GroupRole role) {
  switch (role) {
    case GroupRole::Owner: return "owner";
    case GroupRole::Admin: return "admin";
    case GroupRole::Member: return "member";
  }
  return "member";
}

std::optional<GroupRole> parseGroupRole(std::string_view text) {
  for (GroupRole r : {GroupRole::Owner, GroupRole::Admin, GroupRole::Member}) {
    if (toString(r) == text) return r;
  }
  return std::nullopt;
}

bool mayManageGroup(GroupRole actor) { return actor != GroupRole::Member; }

bool mayRemove(GroupRole actor, GroupRole target) {
  if (actor == GroupRole::Owner) return target != GroupRole::Owner;
  return actor == GroupRole::Admin && target == GroupRole::Member;
}

bool maySetRole(GroupRole actor) { return actor == GroupRole::Owner; }

}  // namespace im::common
