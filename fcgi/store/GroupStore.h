// SPDX-License-Identifier: MIT
// GroupStore.h - reading groups: create (the creator is the owner, <= 2000 members), list
// mine, get with members and roles, and the membership check history needs. Membership
// changes are MembershipStore's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/GroupRole.h"
#include "fcgi/Db.h"

namespace im::fcgi {

struct GroupSummary {
  uint64_t id = 0;
  std::string name;
  uint64_t members = 0;
  common::GroupRole role = common::GroupRole::Member;  // the caller's
  bool isPublic = false;
};

struct GroupMember {
  uint64_t userId = 0;
  std::string username;
  common::GroupRole role = common::GroupRole::Member;
};

struct GroupDetail {
  uint64_t id = 0;
  std::string name;
  bool isPublic = false;
  std::vector<GroupMember> members;  // by user_id
};

class GroupStore {
 public:
  explicit GroupStore(Db& db) : db_(db) {}
  GroupStore(const GroupStore&) = delete;
  GroupStore& operator=(const GroupStore&) = delete;

  // NotFound when a member id names no user; TooLarge past kMaxGroupMembers with the creator.
  uint64_t create(uint64_t creator, const std::string& name, std::vector<uint64_t> members, bool isPublic,
                  int64_t nowMs);
  std::vector<GroupSummary> listFor(uint64_t uid);
  // NotFound for an unknown group, Forbidden when `uid` is not a member.
  GroupDetail get(uint64_t groupId, uint64_t uid);
  // NotFound / Forbidden as get(), without reading the members.
  void requireMember(uint64_t groupId, uint64_t uid);
  // The group's member ids, ascending, `caller` among them, in one query (the fan-out of its
  // events: typing, read). NotFound for an unknown group, Forbidden when `caller` is not a member.
  std::vector<uint64_t> memberIds(uint64_t groupId, uint64_t caller);

 private:
  bool exists(uint64_t groupId);
  bool isMember(uint64_t groupId, uint64_t uid);
  void checkUsersExist(const std::string& ids, size_t count);

  Db& db_;
};

}  // namespace im::fcgi
