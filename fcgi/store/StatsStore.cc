// SPDX-License-Identifier: MIT
// StatsStore.cc - a handful of single-value queries, none over messages, inbox or sessions rows.
#include "fcgi/store/StatsStore.h"

namespace im::fcgi {

uint64_t StatsStore::scalar(const std::string& sql) {
  auto rs = db_.query(db_.prepare(sql));
  return rs->next() && !rs->isNull(1) ? rs->getUInt64(1) : 0;
}

DbStats StatsStore::read() {
  return db_.call([&] {
    DbStats s;
    s.users = scalar("SELECT COUNT(*) FROM users");
    s.deletedUsers = scalar("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL");
    s.groups = scalar("SELECT COUNT(*) FROM chat_groups");
    s.lastMsgId = scalar("SELECT MAX(id) FROM messages");  // the primary key's last entry
    auto rs = db_.query(db_.prepare(
        "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
        "AND TABLE_NAME IN ('messages', 'messages_archive', 'sessions', 'inbox')"));
    while (rs->next()) s.approxRows[std::string(rs->getString(1))] = rs->isNull(2) ? 0 : rs->getUInt64(2);
    return s;
  });
}

}  // namespace im::fcgi
