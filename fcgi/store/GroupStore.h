// SPDX-License-Identifier: MIT
// GroupStore.h - groups and their members: create (creator included, <= 2000), list mine,
// get with members, join, leave, and the membership check history needs.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "fcgi/Db.h"

namespace im::fcgi {

struct GroupSummary {
  uint64_t id = 0;
  std::string name;
  uint64_t members = 0;
};

struct GroupDetail {
  uint64_t id = 0;
  std::string name;
  std::vector<std::pair<uint64_t, std::string>> members;  // (user_id, username) by user_id
};

class GroupStore {
 public:
  explicit GroupStore(Db& db) : db_(db) {}
  GroupStore(const GroupStore&) = delete;
  GroupStore& operator=(const GroupStore&) = delete;

  // NotFound when a member id names no user; TooLarge past kMaxGroupMembers with the creator.
  uint64_t create(uint64_t creator, const std::string& name, std::vector<uint64_t> members, int64_t nowMs);
  std::vector<GroupSummary> listFor(uint64_t uid);
  // NotFound for an unknown group, Forbidden when `uid` is not a member.
  GroupDetail get(uint64_t groupId, uint64_t uid);
  // Idempotent; NotFound for an unknown group, Forbidden when the group is full.
  void join(uint64_t groupId, uint64_t uid, int64_t nowMs);
  // Idempotent; NotFound for an unknown group.
  void leave(uint64_t groupId, uint64_t uid);
  // NotFound / Forbidden as get(), without reading the members.
  void requireMember(uint64_t groupId, uint64_t uid);

 private:
  bool exists(uint64_t groupId);
  bool isMember(uint64_t groupId, uint64_t uid);

  Db& db_;
};

}  // namespace im::fcgi
