// SPDX-License-Identifier: MIT
// MembershipStore.h - every change to who is in a group and what it may do: rename/publish,
// add, remove, set a role, join, leave. Each is ONE transaction that locks the group row and
// its member rows (FOR UPDATE: a send holds them in share mode, so a send commits wholly
// before or wholly after a change), checks the caller's role under those locks, applies the
// change and stores its typed message through MessageStore::deliver, so the message has a
// seq in the inbox of every member at that point (the one added or removed included).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/GroupProtocol.h"
#include "common/GroupRole.h"
#include "common/MessageType.h"
#include "fcgi/Db.h"
#include "fcgi/store/MessageStore.h"

namespace im::fcgi {

// Who makes the change (the authenticated caller).
struct GroupActor {
  uint64_t userId = 0;
  std::string username;
};

// The stored membership messages, in timeline order, to notify after the commit. Empty when
// the call changed nothing (already a member, same role, same name...).
using MembershipMessages = std::vector<SendResult>;

class MembershipStore {
 public:
  MembershipStore(Db& db, MessageStore& messages) : db_(db), messages_(messages) {}
  MembershipStore(const MembershipStore&) = delete;
  MembershipStore& operator=(const MembershipStore&) = delete;

  // Every call: NotFound for an unknown group, Forbidden when the actor may not (API.md
  // "Groups"; common/GroupRole), Unavailable; nothing is written when it throws.
  // group_updated. Owner and admins.
  MembershipMessages update(uint64_t groupId, const GroupActor& actor, const common::UpdateGroupRequest& change,
                            int64_t nowMs);
  // One member_added per user not yet a member. Owner and admins; NotFound for an unknown
  // user; Conflict past kMaxGroupMembers.
  MembershipMessages add(uint64_t groupId, const GroupActor& actor, const std::vector<uint64_t>& userIds,
                         int64_t nowMs);
  // member_removed, then the removal. NotFound when `userId` is not a member; Forbidden for
  // the actor itself (one leaves with leave()).
  MembershipMessages remove(uint64_t groupId, const GroupActor& actor, uint64_t userId, int64_t nowMs);
  // role_changed. The owner only, not on itself; NotFound when `userId` is not a member.
  MembershipMessages setRole(uint64_t groupId, const GroupActor& actor, uint64_t userId, common::GroupRole role,
                             int64_t nowMs);
  // member_joined. Public groups only (Forbidden otherwise); Conflict when full. The first
  // member of an empty group is its owner.
  MembershipMessages join(uint64_t groupId, const GroupActor& actor, int64_t nowMs);
  // member_left (after a role_changed to the successor when the owner leaves). A non-member's
  // leave changes nothing.
  MembershipMessages leave(uint64_t groupId, const GroupActor& actor, int64_t nowMs);
  // Operators only (im-admin groups transfer; the API passes ownership on only when the owner
  // leaves): member `userId` becomes the owner and the owner an admin, two role_changed in the
  // owner's name (the protocol has no operator identity). NotFound for a non-member; nothing
  // when `userId` already owns the group.
  MembershipMessages transfer(uint64_t groupId, uint64_t userId, int64_t nowMs);

 private:
  struct MemberInfo {
    common::GroupRole role = common::GroupRole::Member;
    uint64_t joinOrder = 0;
  };
  struct LockedGroup {
    uint64_t id = 0;
    std::string name;
    bool isPublic = false;
    std::map<uint64_t, MemberInfo> members;
  };

  template <typename F>
  MembershipMessages inTransaction(F&& change);
  LockedGroup lock(uint64_t groupId);
  common::GroupRole roleOf(const LockedGroup& g, uint64_t userId) const;  // Forbidden for a non-member
  // Names of the accounts named (a message about a member names them, deleted or not); LiveOnly
  // leaves out deleted accounts, which nobody may add.
  enum class Accounts { Any, LiveOnly };
  std::map<uint64_t, std::string> usernames(const std::vector<uint64_t>& userIds, Accounts which = Accounts::Any);
  void insertMembers(uint64_t groupId, const std::vector<uint64_t>& userIds, common::GroupRole role, int64_t nowMs);
  void deleteMember(uint64_t groupId, uint64_t userId);
  void updateRole(uint64_t groupId, uint64_t userId, common::GroupRole role);
  static uint64_t successor(const LockedGroup& g, uint64_t owner);
  SendResult record(uint64_t groupId, const GroupActor& actor, common::MessageType type, uint64_t target,
                    std::string body, int64_t nowMs, std::optional<common::GroupRole> role = std::nullopt);

  Db& db_;
  MessageStore& messages_;
};

}  // namespace im::fcgi
