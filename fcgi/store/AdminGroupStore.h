// SPDX-License-Identifier: MIT
// AdminGroupStore.h - the groups as an operator sees them (im-admin groups list|show), whatever
// the caller's membership: GroupStore answers for a member, through the API's rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fcgi/Db.h"

namespace im::fcgi {

struct AdminGroupRow {
  uint64_t id = 0;
  std::string name;
  bool isPublic = false;
  int64_t createdMs = 0;
  uint64_t members = 0;
  uint64_t ownerId = 0;  // 0: an empty group, which has no owner
  std::string owner;
};

struct AdminMemberRow {
  uint64_t userId = 0;
  std::string username;
  std::string role;  // owner, admin, member
  int64_t joinedMs = 0;
};

class AdminGroupStore {
 public:
  explicit AdminGroupStore(Db& db) : db_(db) {}
  AdminGroupStore(const AdminGroupStore&) = delete;
  AdminGroupStore& operator=(const AdminGroupStore&) = delete;

  // Up to `limit` groups with id > afterId, ascending (a page of `groups list`).
  std::vector<AdminGroupRow> page(uint64_t afterId, uint64_t limit);
  std::optional<AdminGroupRow> find(uint64_t groupId);
  // Its members, the longest-standing first.
  std::vector<AdminMemberRow> members(uint64_t groupId);
  // The groups `uid` is a member of, ascending.
  std::vector<uint64_t> groupsOf(uint64_t uid);

 private:
  std::vector<AdminGroupRow> rows(uint64_t afterId, uint64_t onlyId, uint64_t limit);

  Db& db_;
};

}  // namespace im::fcgi
