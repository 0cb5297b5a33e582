// SPDX-License-Identifier: MIT
// GroupMemberStore.h - the member ids of a group, for the fan-out of its events (typing, read).
// Reads only group_members' group_id and user_id, whatever else a membership row carries.
#pragma once

#include <cstdint>
#include <vector>

#include "fcgi/Db.h"

namespace im::fcgi {

class GroupMemberStore {
 public:
  explicit GroupMemberStore(Db& db) : db_(db) {}
  GroupMemberStore(const GroupMemberStore&) = delete;
  GroupMemberStore& operator=(const GroupMemberStore&) = delete;

  // The group's member ids, ascending, `caller` among them, in one query. NotFound for an
  // unknown group, Forbidden when `caller` is not a member.
  std::vector<uint64_t> memberIds(uint64_t groupId, uint64_t caller);

 private:
  Db& db_;
};

}  // namespace im::fcgi
