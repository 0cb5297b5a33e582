// SPDX-License-Identifier: MIT
// MembershipStore.cc - the SQL of membership changes. Lock order, the same in every change:
// the chat_groups row, then the group's member rows (both FOR UPDATE), then inbox_counters
// (MessageStore::deliver); a send takes the member rows (share) then inbox_counters, so the
// two never wait on each other in a cycle. Deadlocks with other groups' traffic on
// inbox_counters retry the whole transaction, as a send does.
#include "fcgi/store/MembershipStore.h"

#include <algorithm>

#include "common/ApiError.h"
#include "common/Log.h"
#include "common/MembershipText.h"
#include "common/Protocol.h"
#include "common/Time.h"
#include "fcgi/store/MessageRow.h"

namespace im::fcgi {
namespace {

using common::ApiError;
using common::ErrorCode;
using common::GroupRole;
using common::MessageType;

[[noreturn]] void forbidden(const std::string& why) { throw ApiError(ErrorCode::Forbidden, why); }

[[noreturn]] void notAMember(uint64_t userId) {
  throw ApiError(ErrorCode::NotFound, "User " + std::to_string(userId) + " is not a member of this group.");
}

}  // namespace

template <typename F>
MembershipMessages MembershipStore::inTransaction(F&& change) {
  // Db::call runs it again whole after a deadlock or a Galera certification conflict.
  return db_.call([&] {
    Transaction tx(db_);
    MembershipMessages out = change();
    tx.commit();
    return out;
  });
}

MembershipMessages MembershipStore::update(uint64_t groupId, const GroupActor& actor,
                                           const common::UpdateGroupRequest& change, int64_t nowMs) {
  return inTransaction([&] {
    const LockedGroup g = lock(groupId);
    if (!common::mayManageGroup(roleOf(g, actor.userId))) forbidden("Only the owner and admins can change the group.");
    // Only what really changes is written and told.
    const auto name = change.name && *change.name != g.name ? change.name : std::nullopt;
    const auto isPublic = change.isPublic && *change.isPublic != g.isPublic ? change.isPublic : std::nullopt;
    if (!name && !isPublic) return MembershipMessages{};
    auto& stmt = db_.prepare("UPDATE chat_groups SET name = ?, is_public = ? WHERE id = ?");
    stmt.setString(1, name.value_or(g.name));
    stmt.setBoolean(2, isPublic.value_or(g.isPublic));
    stmt.setUInt64(3, groupId);
    stmt.executeUpdate();
    return MembershipMessages{record(groupId, actor, MessageType::GroupUpdated, 0,
                                     common::groupUpdatedText(actor.username, name, isPublic), nowMs)};
  });
}

MembershipMessages MembershipStore::add(uint64_t groupId, const GroupActor& actor,
                                        const std::vector<uint64_t>& userIds, int64_t nowMs) {
  return inTransaction([&] {
    const LockedGroup g = lock(groupId);
    if (!common::mayManageGroup(roleOf(g, actor.userId))) forbidden("Only the owner and admins can add members.");
    std::vector<uint64_t> fresh;  // already a member: no change, no message
    for (uint64_t id : userIds) {
      if (!g.members.count(id)) fresh.push_back(id);
    }
    if (fresh.empty()) return MembershipMessages{};
    const auto names = usernames(fresh, Accounts::LiveOnly);
    if (names.size() != fresh.size()) throw ApiError(ErrorCode::NotFound, "No such user.");
    if (g.members.size() + fresh.size() > common::kMaxGroupMembers) {
      throw ApiError(ErrorCode::Conflict, "A group has at most 2000 members.");
    }
    insertMembers(groupId, fresh, GroupRole::Member, nowMs);
    MembershipMessages out;
    for (uint64_t id : fresh) {
      out.push_back(record(groupId, actor, MessageType::MemberAdded, id,
                           common::membershipText(MessageType::MemberAdded, actor.username, names.at(id)), nowMs));
    }
    return out;
  });
}

MembershipMessages MembershipStore::remove(uint64_t groupId, const GroupActor& actor, uint64_t userId,
                                           int64_t nowMs) {
  return inTransaction([&] {
    const LockedGroup g = lock(groupId);
    const GroupRole mine = roleOf(g, actor.userId);
    if (userId == actor.userId) forbidden("To leave a group, use POST /im/groups/" + std::to_string(groupId) + "/leave.");
    if (!common::mayManageGroup(mine)) forbidden("Only the owner and admins can remove members.");
    const auto target = g.members.find(userId);
    if (target == g.members.end()) notAMember(userId);
    if (!common::mayRemove(mine, target->second.role)) forbidden("An admin cannot remove the owner or another admin.");
    // The message first, so the removed member gets it as its last one from this group.
    MembershipMessages out{record(groupId, actor, MessageType::MemberRemoved, userId,
                                  common::membershipText(MessageType::MemberRemoved, actor.username,
                                                         usernames({userId}).at(userId)),
                                  nowMs)};
    deleteMember(groupId, userId);
    return out;
  });
}

MembershipMessages MembershipStore::setRole(uint64_t groupId, const GroupActor& actor, uint64_t userId,
                                            GroupRole role, int64_t nowMs) {
  return inTransaction([&] {
    const LockedGroup g = lock(groupId);
    if (!common::maySetRole(roleOf(g, actor.userId))) forbidden("Only the owner can change roles.");
    if (userId == actor.userId) forbidden("The owner's role cannot be changed; ownership passes on when the owner leaves.");
    const auto target = g.members.find(userId);
    if (target == g.members.end()) notAMember(userId);
    if (target->second.role == role) return MembershipMessages{};
    updateRole(groupId, userId, role);
    const std::string text =
        common::membershipText(MessageType::RoleChanged, actor.username, usernames({userId}).at(userId), role);
    return MembershipMessages{record(groupId, actor, MessageType::RoleChanged, userId, text, nowMs, role)};
  });
}

MembershipMessages MembershipStore::join(uint64_t groupId, const GroupActor& actor, int64_t nowMs) {
  return inTransaction([&] {
    const LockedGroup g = lock(groupId);
    if (g.members.count(actor.userId)) return MembershipMessages{};
    if (!g.isPublic) forbidden("This group is private: its owner or an admin can add you.");
    if (g.members.size() >= common::kMaxGroupMembers) throw ApiError(ErrorCode::Conflict, "The group is full.");
    // Someone must be able to manage a group that everyone had left.
    insertMembers(groupId, {actor.userId}, g.members.empty() ? GroupRole::Owner : GroupRole::Member, nowMs);
    return MembershipMessages{record(groupId, actor, MessageType::MemberJoined, actor.userId,
                                     common::membershipText(MessageType::MemberJoined, actor.username,
                                                            actor.username),
                                     nowMs)};
  });
}

MembershipMessages MembershipStore::leave(uint64_t groupId, const GroupActor& actor, int64_t nowMs) {
  return inTransaction([&] {
    const LockedGroup g = lock(groupId);
    const auto me = g.members.find(actor.userId);
    if (me == g.members.end()) return MembershipMessages{};
    MembershipMessages out;
    if (const uint64_t next = me->second.role == GroupRole::Owner ? successor(g, actor.userId) : 0) {
      updateRole(groupId, next, GroupRole::Owner);
      const std::string text = common::membershipText(MessageType::RoleChanged, actor.username,
                                                      usernames({next}).at(next), GroupRole::Owner);
      out.push_back(record(groupId, actor, MessageType::RoleChanged, next, text, nowMs, GroupRole::Owner));
    }
    out.push_back(record(groupId, actor, MessageType::MemberLeft, actor.userId,
                         common::membershipText(MessageType::MemberLeft, actor.username, actor.username), nowMs));
    deleteMember(groupId, actor.userId);
    return out;
  });
}

MembershipMessages MembershipStore::transfer(uint64_t groupId, uint64_t userId, int64_t nowMs) {
  return inTransaction([&] {
    const LockedGroup g = lock(groupId);
    const auto target = g.members.find(userId);
    if (target == g.members.end()) notAMember(userId);
    if (target->second.role == GroupRole::Owner) return MembershipMessages{};
    const auto owner = std::find_if(g.members.begin(), g.members.end(),
                                    [](const auto& m) { return m.second.role == GroupRole::Owner; });
    if (owner == g.members.end()) throw ApiError(ErrorCode::Conflict, "The group has no owner.");
    const auto names = usernames({owner->first, userId});
    const GroupActor actor{owner->first, names.at(owner->first)};
    updateRole(groupId, userId, GroupRole::Owner);
    updateRole(groupId, actor.userId, GroupRole::Admin);
    return MembershipMessages{
        record(groupId, actor, MessageType::RoleChanged, userId,
               common::membershipText(MessageType::RoleChanged, actor.username, names.at(userId), GroupRole::Owner), nowMs,
               GroupRole::Owner),
        record(groupId, actor, MessageType::RoleChanged, actor.userId,
               common::membershipText(MessageType::RoleChanged, actor.username, actor.username, GroupRole::Admin), nowMs,
               GroupRole::Admin)};
  });
}

// The group row first (NotFound; serialises every change of this group, even of an empty
// one), then every member row.
MembershipStore::LockedGroup MembershipStore::lock(uint64_t groupId) {
  auto& group = db_.prepare("SELECT name, is_public FROM chat_groups WHERE id = ? FOR UPDATE");
  group.setUInt64(1, groupId);
  auto rs = db_.query(group);
  if (!rs->next()) throw ApiError(ErrorCode::NotFound, "No such group.");
  LockedGroup g{groupId, std::string(rs->getString(1)), rs->getBoolean(2), {}};
  auto& members = db_.prepare("SELECT user_id, role, join_order FROM group_members WHERE group_id = ? FOR UPDATE");
  members.setUInt64(1, groupId);
  auto rows = db_.query(members);
  while (rows->next()) {
    const GroupRole role = common::parseGroupRole(std::string(rows->getString(2))).value_or(GroupRole::Member);
    g.members[rows->getUInt64(1)] = MemberInfo{role, rows->getUInt64(3)};
  }
  return g;
}

GroupRole MembershipStore::roleOf(const LockedGroup& g, uint64_t userId) const {
  const auto it = g.members.find(userId);
  if (it == g.members.end()) forbidden("You are not a member of this group.");
  return it->second.role;
}

std::map<uint64_t, std::string> MembershipStore::usernames(const std::vector<uint64_t>& userIds, Accounts which) {
  // A live account is one with a mailbox: a deleted one has none (UserDeletionStore).
  auto& stmt = db_.prepare(std::string(
      "SELECT u.id, u.username FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j "
      "JOIN users u ON u.id = j.id") + (which == Accounts::LiveOnly ? " JOIN inbox_counters c ON c.user_id = u.id" : ""));
  stmt.setString(1, idsToJson(userIds));
  auto rs = db_.query(stmt);
  std::map<uint64_t, std::string> out;
  while (rs->next()) out[rs->getUInt64(1)] = std::string(rs->getString(2));
  return out;
}

// One statement for any number; join_order follows the list.
void MembershipStore::insertMembers(uint64_t groupId, const std::vector<uint64_t>& userIds, GroupRole role,
                                    int64_t nowMs) {
  auto& stmt = db_.prepare(
      "INSERT INTO group_members (group_id, user_id, joined_at, role) SELECT ?, j.id, ?, ? "
      "FROM JSON_TABLE(?, '$[*]' COLUMNS (n FOR ORDINALITY, id BIGINT UNSIGNED PATH '$')) j ORDER BY j.n");
  stmt.setUInt64(1, groupId);
  stmt.setString(2, common::formatSqlDateTime(nowMs));
  stmt.setString(3, std::string(common::toString(role)));
  stmt.setString(4, idsToJson(userIds));
  stmt.executeUpdate();
}

void MembershipStore::deleteMember(uint64_t groupId, uint64_t userId) {
  auto& stmt = db_.prepare("DELETE FROM group_members WHERE group_id = ? AND user_id = ?");
  stmt.setUInt64(1, groupId);
  stmt.setUInt64(2, userId);
  stmt.executeUpdate();
}

void MembershipStore::updateRole(uint64_t groupId, uint64_t userId, GroupRole role) {
  auto& stmt = db_.prepare("UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?");
  stmt.setString(1, std::string(common::toString(role)));
  stmt.setUInt64(2, groupId);
  stmt.setUInt64(3, userId);
  stmt.executeUpdate();
}

// The longest-standing admin, else the longest-standing member; 0 when the owner is alone.
uint64_t MembershipStore::successor(const LockedGroup& g, uint64_t owner) {
  uint64_t best = 0;
  std::pair<bool, uint64_t> bestRank;  // (not an admin, join order): the lowest wins
  for (const auto& [id, info] : g.members) {
    const std::pair<bool, uint64_t> rank{info.role != GroupRole::Admin, info.joinOrder};
    if (id != owner && (best == 0 || rank < bestRank)) {
      best = id;
      bestRank = rank;
    }
  }
  return best;
}

SendResult MembershipStore::record(uint64_t groupId, const GroupActor& actor, MessageType type, uint64_t target,
                                   std::string body, int64_t nowMs, std::optional<GroupRole> role) {
  common::Message m;
  m.from = actor.userId;
  m.fromName = actor.username;
  m.group = groupId;
  m.body = std::move(body);
  m.createdAtMs = nowMs;
  m.type = type;
  m.target = target;
  m.role = role;
  return messages_.deliver(m);
}

}  // namespace im::fcgi
