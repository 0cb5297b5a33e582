// SPDX-License-Identifier: MIT
// SessionStore.cc - the SQL of sessions.
#include "fcgi/store/SessionStore.h"

#include "common/ApiError.h"
#include "common/Time.h"

namespace im::fcgi {

NewSession SessionStore::create(uint64_t uid, const std::string& tokenHashHex, const std::string& device,
                                int64_t nowMs) {
  return db_.call([&] {
    // RETURNING hands back the id and the seq the session starts at in the insert's own round trip.
    auto& stmt = db_.prepare(
        "INSERT INTO sessions (user_id, token_hash, device, acked_seq, created_at, last_used_at) "
        "SELECT user_id, UNHEX(?), ?, last_seq, ?, ? FROM inbox_counters WHERE user_id = ? "
        "RETURNING id, acked_seq");
    const std::string now = common::formatSqlDateTime(nowMs);
    stmt.setString(1, tokenHashHex);
    stmt.setString(2, device);
    stmt.setString(3, now);
    stmt.setString(4, now);
    stmt.setUInt64(5, uid);
    auto rs = db_.query(stmt);
    if (!rs->next()) throw common::ApiError(common::ErrorCode::Unavailable, "The database is unavailable.");
    return NewSession{rs->getUInt64(1), rs->getUInt64(2)};
  });
}

std::optional<AuthSession> SessionStore::find(const std::string& tokenHashHex, int64_t minLastUsedMs) {
  return db_.call([&]() -> std::optional<AuthSession> {
    auto& stmt = db_.prepare(
        "SELECT s.id, s.user_id, u.username, s.last_used_at, s.acked_seq, c.last_seq FROM sessions s "
        "JOIN users u ON u.id = s.user_id JOIN inbox_counters c ON c.user_id = s.user_id "
        "WHERE s.token_hash = UNHEX(?) AND s.revoked_at IS NULL AND s.last_used_at > ?");
    stmt.setString(1, tokenHashHex);
    stmt.setString(2, common::formatSqlDateTime(minLastUsedMs));
    auto rs = db_.query(stmt);
    if (!rs->next()) return std::nullopt;
    AuthSession s;
    s.sessionId = rs->getUInt64(1);
    s.userId = rs->getUInt64(2);
    s.username = rs->getString(3);
    s.lastUsedMs = common::parseSqlDateTime(std::string(rs->getString(4))).value_or(0);
    s.ackedSeq = rs->getUInt64(5);
    s.lastSeq = rs->getUInt64(6);
    return s;
  });
}

void SessionStore::touch(uint64_t sessionId, int64_t nowMs) {
  db_.call([&] {
    auto& stmt = db_.prepare("UPDATE sessions SET last_used_at = ? WHERE id = ?");
    stmt.setString(1, common::formatSqlDateTime(nowMs));
    stmt.setUInt64(2, sessionId);
    stmt.executeUpdate();
  });
}

void SessionStore::revoke(uint64_t sessionId, int64_t nowMs) {
  db_.call([&] {
    auto& stmt = db_.prepare("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    stmt.setString(1, common::formatSqlDateTime(nowMs));
    stmt.setUInt64(2, sessionId);
    stmt.executeUpdate();
  });
}

}  // namespace im::fcgi
