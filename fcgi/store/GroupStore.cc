// SPDX-License-Identifier: MIT
// GroupStore.cc - the SQL of reading groups. Member lists travel as one JSON array
// (JSON_TABLE), so one prepared statement validates or inserts any number of members.
#include "fcgi/store/GroupStore.h"

#include <algorithm>

#include "common/ApiError.h"
#include "common/Protocol.h"
#include "common/Time.h"
#include "fcgi/store/MessageRow.h"

namespace im::fcgi {
namespace {

using common::ApiError;
using common::ErrorCode;
using common::GroupRole;

constexpr const char* kIdsTable = "JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j";

GroupRole roleFrom(const sql::SQLString& text) {
  return common::parseGroupRole(std::string(text)).value_or(GroupRole::Member);
}

}  // namespace

uint64_t GroupStore::create(uint64_t creator, const std::string& name, std::vector<uint64_t> members, bool isPublic,
                            int64_t nowMs) {
  // The creator first: join_order follows the list, and the owner is the longest-standing member.
  members.erase(std::remove(members.begin(), members.end(), creator), members.end());
  members.insert(members.begin(), creator);
  if (members.size() > common::kMaxGroupMembers) throw ApiError(ErrorCode::TooLarge, "A group has at most 2000 members.");
  const std::string ids = idsToJson(members);
  const std::string now = common::formatSqlDateTime(nowMs);
  return db_.call([&] {
    Transaction tx(db_);
    checkUsersExist(ids, members.size());
    auto& group = db_.prepare("INSERT INTO chat_groups (name, created_by, created_at, is_public) VALUES (?, ?, ?, ?)");
    group.setString(1, name);
    group.setUInt64(2, creator);
    group.setString(3, now);
    group.setBoolean(4, isPublic);
    group.executeUpdate();
    const uint64_t groupId = db_.lastInsertId();
    auto& add = db_.prepare(std::string("INSERT INTO group_members (group_id, user_id, joined_at, role) "
                                        "SELECT ?, j.id, ?, IF(j.id = ?, 'owner', 'member') FROM ") +
                            kIdsTable);
    add.setUInt64(1, groupId);
    add.setString(2, now);
    add.setUInt64(3, creator);
    add.setString(4, ids);
    add.executeUpdate();
    tx.commit();
    return groupId;
  });
}

std::vector<GroupSummary> GroupStore::listFor(uint64_t uid) {
  return db_.call([&] {
    auto& stmt = db_.prepare(
        "SELECT g.id, g.name, (SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.id), m.role, g.is_public "
        "FROM group_members m JOIN chat_groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.id");
    stmt.setUInt64(1, uid);
    auto rs = db_.query(stmt);
    std::vector<GroupSummary> out;
    while (rs->next()) {
      out.push_back(GroupSummary{rs->getUInt64(1), std::string(rs->getString(2)), rs->getUInt64(3),
                                 roleFrom(rs->getString(4)), rs->getBoolean(5)});
    }
    return out;
  });
}

GroupDetail GroupStore::get(uint64_t groupId, uint64_t uid) {
  return db_.call([&] {
    auto& stmt = db_.prepare(
        "SELECT g.name, g.is_public, u.id, u.username, m.role FROM chat_groups g "
        "LEFT JOIN group_members m ON m.group_id = g.id LEFT JOIN users u ON u.id = m.user_id "
        "WHERE g.id = ? ORDER BY u.id");
    stmt.setUInt64(1, groupId);
    auto rs = db_.query(stmt);
    GroupDetail out;
    out.id = groupId;
    bool found = false, member = false;
    while (rs->next()) {
      found = true;
      out.name = rs->getString(1);
      out.isPublic = rs->getBoolean(2);
      if (rs->isNull(3)) continue;  // a group whose members all left
      out.members.push_back(GroupMember{rs->getUInt64(3), std::string(rs->getString(4)), roleFrom(rs->getString(5))});
      member = member || out.members.back().userId == uid;
    }
    if (!found) throw ApiError(ErrorCode::NotFound, "No such group.");
    if (!member) throw ApiError(ErrorCode::Forbidden, "You are not a member of this group.");
    return out;
  });
}

void GroupStore::requireMember(uint64_t groupId, uint64_t uid) {
  db_.call([&] {
    if (isMember(groupId, uid)) return;
    if (!exists(groupId)) throw ApiError(ErrorCode::NotFound, "No such group.");
    throw ApiError(ErrorCode::Forbidden, "You are not a member of this group.");
  });
}

void GroupStore::checkUsersExist(const std::string& ids, size_t count) {
  // A live user is one with a mailbox (a deleted account has none: UserDeletionStore).
  auto& known = db_.prepare(std::string("SELECT COUNT(*) FROM ") + kIdsTable + " JOIN inbox_counters c ON c.user_id = j.id");
  known.setString(1, ids);
  auto rs = db_.query(known);
  if (!rs->next() || rs->getUInt64(1) != count) throw ApiError(ErrorCode::NotFound, "No such user.");
}

bool GroupStore::exists(uint64_t groupId) {
  auto& stmt = db_.prepare("SELECT 1 FROM chat_groups WHERE id = ?");
  stmt.setUInt64(1, groupId);
  return db_.query(stmt)->next();
}

bool GroupStore::isMember(uint64_t groupId, uint64_t uid) {
  auto& stmt = db_.prepare("SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?");
  stmt.setUInt64(1, groupId);
  stmt.setUInt64(2, uid);
  return db_.query(stmt)->next();
}

std::vector<uint64_t> GroupStore::memberIds(uint64_t groupId, uint64_t caller) {
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
    if (!found) throw common::ApiError(common::ErrorCode::NotFound, "No such group.");
    if (!std::binary_search(ids.begin(), ids.end(), caller)) {
      throw common::ApiError(common::ErrorCode::Forbidden, "You are not a member of this group.");
    }
    return ids;
  });
}

}  // namespace im::fcgi
