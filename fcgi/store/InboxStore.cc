// SPDX-License-Identifier: MIT
// InboxStore.cc - the SQL of the inbox.
#include "fcgi/store/InboxStore.h"

#include "common/Time.h"
#include "fcgi/store/MessageRow.h"

namespace im::fcgi {

void InboxStore::acknowledge(uint64_t sessionId, uint64_t uid, uint64_t since, uint64_t ackedSeq,
                             int64_t liveAfterMs) {
  if (since <= ackedSeq) return;  // GREATEST() would leave acked_seq as it is
  db_.call([&] {
    // No clamp to the last seq: the poll refused a `since` beyond it (common/PollCursor),
    // so nothing that does not exist yet is acknowledged. The same statement raises the
    // delivered markers from the rows being acknowledged, before the DELETE below may take
    // them. The range starts at the seq authentication read: a concurrent poll may have moved
    // it since, and GREATEST makes a range read twice harmless.
    if (conversations_.acknowledge(sessionId, uid, ackedSeq, since) == 0) return;  // nothing advanced
    // Rows every live device has acknowledged go; the minimum is computed by MariaDB in the
    // same statement (one round trip less than reading it first).
    auto& del = db_.prepare(
        "DELETE FROM inbox WHERE user_id = ? AND seq <= (SELECT MIN(acked_seq) FROM sessions "
        "WHERE user_id = ? AND revoked_at IS NULL AND last_used_at > ?)");
    del.setUInt64(1, uid);
    del.setUInt64(2, uid);
    del.setString(3, common::formatSqlDateTime(liveAfterMs));
    del.executeUpdate();
  });
}

std::vector<InboxEntry> InboxStore::read(uint64_t uid, uint64_t since, int limit) {
  return db_.call([&] {
    auto& stmt = db_.prepare(std::string("SELECT i.seq, ") + kMessageColumns +
                             " FROM inbox i JOIN messages m ON m.id = i.msg_id JOIN users u ON u.id = m.sender_id"
                             " WHERE i.user_id = ? AND i.seq > ? ORDER BY i.seq LIMIT ?");
    stmt.setUInt64(1, uid);
    stmt.setUInt64(2, since);
    stmt.setInt(3, limit);
    auto rs = db_.query(stmt);
    std::vector<InboxEntry> out;
    while (rs->next()) out.push_back(InboxEntry{rs->getUInt64(1), readMessage(*rs, 2)});
    return out;
  });
}

}  // namespace im::fcgi
