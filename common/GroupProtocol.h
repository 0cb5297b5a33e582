// SPDX-License-Identifier: MIT
// GroupProtocol.h - the request bodies of group management (API.md "Groups": PATCH a group,
// add members, set a role) with their validation (throws ApiError BadRequest/Conflict). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/GroupRole.h"

namespace im::common {

// PATCH /im/groups/{id}: at least one of the two.
struct UpdateGroupRequest {
  std::optional<std::string> name;
  std::optional<bool> isPublic;
};

// POST /im/groups/{id}/members: 1-2000 ids, unique, in request order.
struct AddMembersRequest {
  std::vector<uint64_t> userIds;
};

// PATCH /im/groups/{id}/members/{uid}: "admin" or "member" (ownership is never given, only
// passed on by the owner's leave).
struct SetRoleRequest {
  GroupRole role = GroupRole::Member;
};

UpdateGroupRequest parseUpdateGroupRequest(std::string_view json);
// More than 2000 distinct ids can never fit in a group: Conflict, as API.md's "over 2000 members".
AddMembersRequest parseAddMembersRequest(std::string_view json);
SetRoleRequest parseSetRoleRequest(std::string_view json);

// A group name: 1-64 characters (code points) of valid UTF-8, else BadRequest.
void checkGroupName(const std::string& name);

}  // namespace im::common
