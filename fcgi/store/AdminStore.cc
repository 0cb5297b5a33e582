// SPDX-License-Identifier: MIT
// AdminStore.cc - the SQL of im-admin.
#include "fcgi/store/AdminStore.h"

#include "common/Time.h"

#include <algorithm>
#include <stdexcept>

namespace im::fcgi {

std::vector<SessionRow> AdminStore::sessionsOf(uint64_t uid) {
  return db_.call([&] {
    auto& stmt = db_.prepare(
        "SELECT id, device, acked_seq, created_at, last_used_at, revoked_at FROM sessions WHERE user_id = ? "
        "ORDER BY id DESC");
    stmt.setUInt64(1, uid);
    auto rs = db_.query(stmt);
    std::vector<SessionRow> rows;
    while (rs->next()) {
      SessionRow r;
      r.id = rs->getUInt64(1);
      r.device = rs->getString(2);
      r.ackedSeq = rs->getUInt64(3);
      r.createdMs = common::parseSqlDateTime(std::string(rs->getString(4))).value_or(0);
      r.lastUsedMs = common::parseSqlDateTime(std::string(rs->getString(5))).value_or(0);
      if (!rs->isNull(6)) r.revokedMs = common::parseSqlDateTime(std::string(rs->getString(6))).value_or(0);
      rows.push_back(std::move(r));
    }
    return rows;
  });
}

std::vector<std::string> AdminStore::tokenHashes(uint64_t uid, uint64_t sessionId) {
  return db_.call([&] {
    auto& stmt = db_.prepare("SELECT HEX(token_hash) FROM sessions WHERE user_id = ? AND (? = 0 OR id = ?)");
    stmt.setUInt64(1, uid);
    stmt.setUInt64(2, sessionId);
    stmt.setUInt64(3, sessionId);
    auto rs = db_.query(stmt);
    std::vector<std::string> out;
    while (rs->next()) out.emplace_back(rs->getString(1));
    return out;
  });
}

uint64_t AdminStore::revoke(uint64_t uid, uint64_t sessionId, int64_t nowMs) {
  return db_.call([&] {
    auto& stmt = db_.prepare(
        "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND (? = 0 OR id = ?)");
    stmt.setString(1, common::formatSqlDateTime(nowMs));
    stmt.setUInt64(2, uid);
    stmt.setUInt64(3, sessionId);
    stmt.setUInt64(4, sessionId);
    return static_cast<uint64_t>(stmt.executeUpdate());
  });
}

bool AdminStore::setPasswordHash(uint64_t uid, const std::string& hash) {
  return db_.call([&] {
    auto& stmt = db_.prepare("UPDATE users SET password_hash = ? WHERE id = ?");
    stmt.setString(1, hash);
    stmt.setUInt64(2, uid);
    return stmt.executeUpdate() > 0;
  });
}

AdminStore::ArchiveBatch AdminStore::archiveBatch(uint64_t afterId, uint64_t batch, int64_t cutoffMs) {
  return db_.call([&] {
    db_.prepare("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").execute();
    const std::string cutoff = common::formatSqlDateTime(cutoffMs);
    const uint64_t hi = afterId + batch;
    // Old, and acknowledged by every device of every participant (no inbox row names it).
    const std::string which =
        " FROM messages WHERE id > ? AND id <= ? AND created_at < ? "
        "AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.msg_id = messages.id)";
    Transaction tx(db_);
    auto& copy = db_.prepare("INSERT INTO messages_archive SELECT *" + which);
    auto& remove = db_.prepare("DELETE" + which);
    for (auto* stmt : {&copy, &remove}) {
      stmt->setUInt64(1, afterId);
      stmt->setUInt64(2, hi);
      stmt->setString(3, cutoff);
    }
    const auto copied = static_cast<uint64_t>(copy.executeUpdate());
    const auto moved = static_cast<uint64_t>(remove.executeUpdate());
    // Never a row deleted that was not copied: the transaction rolls back instead.
    if (copied != moved) throw std::runtime_error("archive: copied " + std::to_string(copied) + ", deleted " + std::to_string(moved));
    tx.commit();
    // Ids grow with time: the first message past the range tells whether older ones remain.
    auto& next = db_.prepare("SELECT created_at < ? FROM messages WHERE id > ? ORDER BY id LIMIT 1");
    next.setString(1, cutoff);
    next.setUInt64(2, hi);
    auto rs = db_.query(next);
    return ArchiveBatch{moved, hi, rs->next() && rs->getBoolean(1)};
  });
}

AdminStore::PruneBatch AdminStore::pruneSessions(uint64_t afterId, uint64_t batch, int64_t idleBeforeMs) {
  return db_.call([&] {
    // RETURNING names the ids gone, so the next batch starts past them without rescanning.
    auto& stmt = db_.prepare(
        "DELETE FROM sessions WHERE id > ? AND (revoked_at IS NOT NULL OR last_used_at <= ?) ORDER BY id LIMIT ? "
        "RETURNING id");
    stmt.setUInt64(1, afterId);
    stmt.setString(2, common::formatSqlDateTime(idleBeforeMs));
    stmt.setUInt64(3, batch);
    auto rs = db_.query(stmt);
    PruneBatch out{0, afterId};
    while (rs->next()) {
      ++out.deleted;
      out.lastId = std::max(out.lastId, static_cast<uint64_t>(rs->getUInt64(1)));
    }
    return out;
  });
}

std::vector<uint64_t> AdminStore::inboxUsers(uint64_t afterUid, uint64_t batch) {
  return db_.call([&] {
    auto& stmt = db_.prepare("SELECT DISTINCT user_id FROM inbox WHERE user_id > ? ORDER BY user_id LIMIT ?");
    stmt.setUInt64(1, afterUid);
    stmt.setUInt64(2, batch);
    auto rs = db_.query(stmt);
    std::vector<uint64_t> uids;
    while (rs->next()) uids.push_back(rs->getUInt64(1));
    return uids;
  });
}

uint64_t AdminStore::pruneInbox(uint64_t uid, uint64_t batch, int64_t liveAfterMs) {
  return db_.call([&] {
    // READ COMMITTED: the bound is read without locking the user's sessions against their polls.
    db_.prepare("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").execute();
    auto& stmt = db_.prepare(
        "DELETE FROM inbox WHERE user_id = ? AND seq <= COALESCE("
        "(SELECT MIN(acked_seq) FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND last_used_at > ?), "
        "(SELECT last_seq FROM inbox_counters WHERE user_id = ?)) ORDER BY seq LIMIT ?");
    stmt.setUInt64(1, uid);
    stmt.setUInt64(2, uid);
    stmt.setString(3, common::formatSqlDateTime(liveAfterMs));
    stmt.setUInt64(4, uid);
    stmt.setUInt64(5, batch);
    return static_cast<uint64_t>(stmt.executeUpdate());
  });
}

}  // namespace im::fcgi
