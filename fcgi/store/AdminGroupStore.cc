// SPDX-License-Identifier: MIT
// AdminGroupStore.cc - groups and members by primary key and ix_group_members_user, a page at a time.
#include "fcgi/store/AdminGroupStore.h"

#include "common/Time.h"

namespace im::fcgi {

// One query for a page or for one group (onlyId != 0); the member count and the owner come from
// the page's own member rows (primary key (group_id, user_id)).
std::vector<AdminGroupRow> AdminGroupStore::rows(uint64_t afterId, uint64_t onlyId, uint64_t limit) {
  return db_.call([&] {
    auto& stmt = db_.prepare(
        "SELECT g.id, g.name, g.is_public, g.created_at, "
        "  (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id), o.user_id, u.username "
        "FROM chat_groups g "
        "LEFT JOIN group_members o ON o.group_id = g.id AND o.role = 'owner' "
        "LEFT JOIN users u ON u.id = o.user_id "
        "WHERE g.id > ? AND (? = 0 OR g.id = ?) ORDER BY g.id LIMIT ?");
    stmt.setUInt64(1, afterId);
    stmt.setUInt64(2, onlyId);
    stmt.setUInt64(3, onlyId);
    stmt.setUInt64(4, limit);
    auto rs = db_.query(stmt);
    std::vector<AdminGroupRow> out;
    while (rs->next()) {
      AdminGroupRow r;
      r.id = rs->getUInt64(1);
      r.name = rs->getString(2);
      r.isPublic = rs->getBoolean(3);
      r.createdMs = common::parseSqlDateTime(std::string(rs->getString(4))).value_or(0);
      r.members = rs->getUInt64(5);
      if (!rs->isNull(6)) {
        r.ownerId = rs->getUInt64(6);
        r.owner = rs->getString(7);
      }
      out.push_back(std::move(r));
    }
    return out;
  });
}

std::vector<AdminGroupRow> AdminGroupStore::page(uint64_t afterId, uint64_t limit) { return rows(afterId, 0, limit); }

std::optional<AdminGroupRow> AdminGroupStore::find(uint64_t groupId) {
  auto found = rows(0, groupId, 1);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<AdminMemberRow> AdminGroupStore::members(uint64_t groupId) {
  return db_.call([&] {
    auto& stmt = db_.prepare(
        "SELECT m.user_id, u.username, m.role, m.joined_at FROM group_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.group_id = ? ORDER BY m.join_order");
    stmt.setUInt64(1, groupId);
    auto rs = db_.query(stmt);
    std::vector<AdminMemberRow> out;
    while (rs->next()) {
      out.push_back(AdminMemberRow{rs->getUInt64(1), std::string(rs->getString(2)), std::string(rs->getString(3)),
                                   common::parseSqlDateTime(std::string(rs->getString(4))).value_or(0)});
    }
    return out;
  });
}

std::vector<uint64_t> AdminGroupStore::groupsOf(uint64_t uid) {
  return db_.call([&] {
    auto& stmt = db_.prepare("SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id");
    stmt.setUInt64(1, uid);
    auto rs = db_.query(stmt);
    std::vector<uint64_t> out;
    while (rs->next()) out.push_back(rs->getUInt64(1));
    return out;
  });
}

}  // namespace im::fcgi
