// SPDX-License-Identifier: MIT
// GroupProtocol.cc - parsing and validation of the group management bodies.
#include "common/GroupProtocol.h"

#include <Poco/JSON/Array.h>

#include <set>

#include "common/ApiError.h"
#include "common/JsonFields.h"
#include "common/Protocol.h"
#include "common/Utf8.h"

namespace im::common {

void checkGroupName(const std::string& name) {
  const auto chars = utf8Length(name);
  if (!chars || *chars == 0 || *chars > kMaxGroupNameChars) badRequest("The group name must be 1-64 characters.");
}

UpdateGroupRequest parseUpdateGroupRequest(std::string_view json) {
  const auto o = parseBody(json);
  UpdateGroupRequest r{optString(*o, "name"), optBool(*o, "public")};
  if (!r.name && !r.isPublic) badRequest("At least one of 'name' and 'public' is required.");
  if (r.name) checkGroupName(*r.name);
  return r;
}

AddMembersRequest parseAddMembersRequest(std::string_view json) {
  const auto o = parseBody(json);
  if (!present(*o, "user_ids")) badRequest("Field 'user_ids' is required.");
  const auto ids = o->getArray("user_ids");
  if (!ids) badRequest("Field 'user_ids' must be an array of user ids.");
  if (ids->size() == 0) badRequest("Field 'user_ids' must list at least one user id.");
  AddMembersRequest r;
  std::set<uint64_t> seen;
  for (size_t i = 0; i < ids->size(); ++i) {
    const uint64_t id = idFromVar(ids->get(static_cast<unsigned>(i)), "Each user id");
    if (seen.insert(id).second) r.userIds.push_back(id);
  }
  if (r.userIds.size() > kMaxGroupMembers) throw ApiError(ErrorCode::Conflict, "A group has at most 2000 members.");
  return r;
}

SetRoleRequest parseSetRoleRequest(std::string_view json) {
  const auto o = parseBody(json);
  const auto role = parseGroupRole(reqString(*o, "role"));
  if (!role || *role == GroupRole::Owner) badRequest("Field 'role' must be \"admin\" or \"member\".");
  return SetRoleRequest{*role};
}

}  // namespace im::common
