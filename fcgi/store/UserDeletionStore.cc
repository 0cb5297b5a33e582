// SPDX-License-Identifier: MIT
// UserDeletionStore.cc - by primary key and the user's own indexes only.
#include "fcgi/store/UserDeletionStore.h"

#include "common/Time.h"

namespace im::fcgi {

UserDeletionStore::Marked UserDeletionStore::markDeleted(uint64_t uid, const std::string& unusableHash, int64_t nowMs) {
  return db_.call([&] {
    Transaction tx(db_);
    const std::string now = common::formatSqlDateTime(nowMs);
    auto& mark = db_.prepare("UPDATE users SET deleted_at = ?, password_hash = ? WHERE id = ? AND deleted_at IS NULL");
    mark.setString(1, now);
    mark.setString(2, unusableHash);
    mark.setUInt64(3, uid);
    Marked out;
    out.marked = mark.executeUpdate() > 0;
    if (!out.marked) return out;
    auto& revoke = db_.prepare("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
    revoke.setString(1, now);
    revoke.setUInt64(2, uid);
    out.sessionsRevoked = static_cast<uint64_t>(revoke.executeUpdate());
    // The mailbox goes with the account: a send to it then finds one counter, not two (404, as an
    // unknown user, at no cost to the send path), a group message skips it, and no group takes it.
    auto& mailbox = db_.prepare("DELETE FROM inbox_counters WHERE user_id = ?");
    mailbox.setUInt64(1, uid);
    mailbox.executeUpdate();
    tx.commit();
    return out;
  });
}

bool UserDeletionStore::isDeleted(uint64_t uid) {
  return db_.call([&] {
    auto& stmt = db_.prepare("SELECT deleted_at IS NOT NULL FROM users WHERE id = ?");
    stmt.setUInt64(1, uid);
    auto rs = db_.query(stmt);
    return rs->next() && rs->getBoolean(1);
  });
}

uint64_t UserDeletionStore::dropInbox(uint64_t uid, uint64_t batch) {
  return db_.call([&] {
    auto& stmt = db_.prepare("DELETE FROM inbox WHERE user_id = ? ORDER BY seq LIMIT ?");
    stmt.setUInt64(1, uid);
    stmt.setUInt64(2, batch);
    return static_cast<uint64_t>(stmt.executeUpdate());
  });
}

uint64_t UserDeletionStore::dropConversations(uint64_t uid) {
  return db_.call([&] {
    auto& stmt = db_.prepare("DELETE FROM conversations WHERE user_id = ?");
    stmt.setUInt64(1, uid);
    return static_cast<uint64_t>(stmt.executeUpdate());
  });
}

}  // namespace im::fcgi
