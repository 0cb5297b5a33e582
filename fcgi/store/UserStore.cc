// SPDX-License-Identifier: MIT
// UserStore.cc - the SQL of users.
#include "fcgi/store/UserStore.h"

#include "common/ApiError.h"
#include "common/UserProtocol.h"
#include "common/Time.h"
#include "fcgi/store/MessageRow.h"

namespace im::fcgi {

uint64_t UserStore::create(const std::string& username, const std::string& passwordHash, int64_t nowMs) {
  return db_.call([&] {
    try {
      Transaction tx(db_);
      auto& insert = db_.prepare("INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)");
      insert.setString(1, username);
      insert.setString(2, passwordHash);
      insert.setString(3, common::formatSqlDateTime(nowMs));
      insert.executeUpdate();
      const uint64_t id = db_.lastInsertId();
      auto& counter = db_.prepare("INSERT INTO inbox_counters (user_id, last_seq) VALUES (?, 0)");
      counter.setUInt64(1, id);
      counter.executeUpdate();
      tx.commit();
      return id;
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != kErrDuplicateKey) throw;
      throw common::ApiError(common::ErrorCode::Conflict, "The username is already taken.");
    }
  });
}

std::optional<UserCredentials> UserStore::findByName(const std::string& username) {
  return db_.call([&]() -> std::optional<UserCredentials> {
    auto& stmt = db_.prepare("SELECT id, password_hash FROM users WHERE username = ?");
    stmt.setString(1, username);
    auto rs = db_.query(stmt);
    if (!rs->next()) return std::nullopt;
    return UserCredentials{rs->getUInt64(1), std::string(rs->getString(2))};
  });
}

bool UserStore::exists(uint64_t uid) {
  return db_.call([&] {
    auto& stmt = db_.prepare("SELECT 1 FROM users WHERE id = ?");
    stmt.setUInt64(1, uid);
    return db_.query(stmt)->next();
  });
}

std::vector<std::pair<uint64_t, std::string>> UserStore::usernames(const std::vector<uint64_t>& ids) {
  return db_.call([&] {
    auto& stmt = db_.prepare(
        "SELECT u.id, u.username FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j "
        "JOIN users u ON u.id = j.id");
    stmt.setString(1, idsToJson(ids));
    auto rs = db_.query(stmt);
    std::vector<std::pair<uint64_t, std::string>> out;
    while (rs->next()) out.emplace_back(rs->getUInt64(1), std::string(rs->getString(2)));
    return out;
  });
}

std::vector<std::pair<uint64_t, std::string>> UserStore::withPrefix(const std::string& prefix, int limit) {
  return db_.call([&] {
    // A range, not LIKE: '_' is a LIKE wildcard, and the bounds read uq_users_username in order.
    auto& stmt = db_.prepare(
        "SELECT id, username FROM users WHERE username >= ? AND username < ? AND deleted_at IS NULL "
        "ORDER BY username LIMIT ?");
    stmt.setString(1, prefix);
    stmt.setString(2, common::prefixUpperBound(prefix));
    stmt.setInt(3, limit);
    auto rs = db_.query(stmt);
    std::vector<std::pair<uint64_t, std::string>> out;
    while (rs->next()) out.emplace_back(rs->getUInt64(1), std::string(rs->getString(2)));
    return out;
  });
}

}  // namespace im::fcgi
