// SPDX-License-Identifier: MIT
// GroupRole.h - a member's role in a group (API.md "Groups") and who may do what to whom:
// the one statement of the permission rules, pure so that every pair is unit-tested.
#pragma once

#include <optional>
#include <string_view>

namespace im::common {

enum class GroupRole { Owner, Admin, Member };

// "owner", "admin", "member": the API's and the database's spelling.
std::string_view toString(GroupRole role);
std::optional<GroupRole> parseGroupRole(std::string_view text);

// PATCH /im/groups/{id} (name, public) and POST /im/groups/{id}/members: owner and admins.
bool mayManageGroup(GroupRole actor);
// DELETE /im/groups/{id}/members/{uid} of another member: the owner removes anyone; an admin
// removes members only (not the owner, not another admin); a member removes no one.
bool mayRemove(GroupRole actor, GroupRole target);
// PATCH /im/groups/{id}/members/{uid}: the owner only, and never its own role (a group with
// members always has an owner; ownership passes on only when the owner leaves).
bool maySetRole(GroupRole actor);

}  // namespace im::common
