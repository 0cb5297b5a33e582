// SPDX-License-Identifier: MIT
// GroupMemberStore.cc - the group row joined to its members: unknown, not a member, or the list.
#include "fcgi/store/GroupMemberStore.h"

#include <algorithm>

#include "common/ApiError.h"

namespace im::fcgi {

using common::ApiError;
using common::ErrorCode;

std::vector<uint64_t> GroupMemberStore::memberIds(uint64_t groupId, uint64_t caller) {
  return db_.call([&] {
    auto& stmt = db_.prepare(
        "SELECT m.user_id FROM chat_groups g LEFT JOIN group_members m ON m.group_id = g.id "
        "WHERE g.id = ? ORDER BY m.user_id");
    stmt.setUInt64(1, groupId);
    auto rs = db_.query(stmt);
    bool found = false;
    std::vector<uint64_t> ids;
    while (rs->next()) {
      found = true;
      if (!rs->isNull(1)) ids.push_back(rs->getUInt64(1));  // NULL: a group whose members all left
    }
    if (!found) throw ApiError(ErrorCode::NotFound, "No such group.");
    if (!std::binary_search(ids.begin(), ids.end(), caller)) {
      throw ApiError(ErrorCode::Forbidden, "You are not a member of this group.");
    }
    return ids;
  });
}

}  // namespace im::fcgi
