// SPDX-License-Identifier: MIT
// InboxStore.cc - the SQL of the inbox.
#include "fcgi/store/InboxStore.h"

#include <algorithm>
#include <string>

#include "common/Log.h"
#include "common/Time.h"
#include "fcgi/store/MessageRow.h"

namespace im::fcgi {

// READ COMMITTED: the batch's range reads and deletes take no gap locks, so a send inserting
// the next seq of one of these users never waits for the batch to commit.
void InboxStore::acknowledge(const std::vector<InboxAck>& acks, int64_t liveAfterMs) {
  if (acks.empty()) return;
  db_.call([&] {
    for (int attempt = 1;; ++attempt) {
      try {
        db_.prepare("SET TRANSACTION ISOLATION LEVEL READ COMMITTED").execute();
        Transaction tx(db_);
        for (size_t at = 0; at < acks.size(); at += kAckSlots) {
          const auto first = acks.begin() + static_cast<std::ptrdiff_t>(at);
          applySlots({first, first + static_cast<std::ptrdiff_t>(std::min(kAckSlots, acks.size() - at))}, liveAfterMs);
        }
        tx.commit();
        return;
      } catch (const sql::SQLException& e) {
        const int code = e.getErrorCode();
        if ((code != kErrDeadlock && code != kErrLockWaitTimeout) || attempt == kAttempts) throw;
        IM_INFO("inbox", "acknowledgements retried after MariaDB error " + std::to_string(code));
      }
    }
  });
}

// Markers first: the DELETE below may take the rows they are computed from. The DELETE's
// minimum is over the sessions rows as this transaction leaves them.
// An ack that covers nothing (its range after the stored acked_seq is empty: the re-poll after a
// timeout or an event, most of what 100,000 idle polls send) is dropped here: it would raise no
// marker and no acked_seq, so the statements only cost MariaDB (bench/README.md "Idle
// re-polls"). Its user's rows that an idled-out session no longer holds back go with the next
// ack that covers something; a since=0 poll may still see them until then (API.md: "what is
// still in the inbox").
void InboxStore::applySlots(const std::vector<InboxAck>& given, int64_t liveAfterMs) {
  std::vector<InboxAck> batch = withStoredAfter(given);
  batch.erase(std::remove_if(batch.begin(), batch.end(), [](const InboxAck& a) { return a.afterSeq >= a.since; }),
              batch.end());
  if (batch.empty()) return;
  conversations_.onFetched(batch);
  static const std::string advance = "UPDATE sessions SET acked_seq = GREATEST(acked_seq, CASE id " +
                                     forEachAckSlot("WHEN ? THEN ?", " ") + " END) WHERE id IN (" +
                                     forEachAckSlot("?", ", ") + ")";
  auto& up = db_.prepare(advance);
  for (size_t i = 0; i < kAckSlots; ++i) {
    up.setUInt64(static_cast<int>(2 * i + 1), ackInSlot(batch, i).sessionId);
    up.setUInt64(static_cast<int>(2 * i + 2), ackInSlot(batch, i).since);
    up.setUInt64(static_cast<int>(2 * kAckSlots + i + 1), ackInSlot(batch, i).sessionId);
  }
  up.executeUpdate();
  static const std::string prune =
      "DELETE i FROM inbox i JOIN (SELECT user_id, MIN(acked_seq) AS low FROM sessions WHERE user_id IN (" +
      forEachAckSlot("?", ", ") + ") AND revoked_at IS NULL AND last_used_at > ? GROUP BY user_id) s "
      "ON i.user_id = s.user_id WHERE i.seq <= s.low";
  auto& del = db_.prepare(prune);
  for (size_t i = 0; i < kAckSlots; ++i) del.setUInt64(static_cast<int>(i + 1), ackInSlot(batch, i).uid);
  del.setString(static_cast<int>(kAckSlots + 1), common::formatSqlDateTime(liveAfterMs));
  del.executeUpdate();
}

std::vector<InboxAck> InboxStore::withStoredAfter(const std::vector<InboxAck>& batch) {
  std::vector<InboxAck> out = batch;
  const auto unknown = [](const InboxAck& a) { return a.afterSeq == InboxAck::kAfterStored; };
  if (std::none_of(out.begin(), out.end(), unknown)) return out;
  static const std::string sql = "SELECT id, acked_seq FROM sessions WHERE id IN (" + forEachAckSlot("?", ", ") + ")";
  auto& stmt = db_.prepare(sql);
  for (size_t i = 0; i < kAckSlots; ++i) stmt.setUInt64(static_cast<int>(i + 1), ackInSlot(out, i).sessionId);
  auto rs = db_.query(stmt);
  while (rs->next()) {
    const uint64_t id = rs->getUInt64(1);
    for (auto& a : out) {
      if (a.sessionId == id && unknown(a)) a.afterSeq = std::min<uint64_t>(rs->getUInt64(2), a.since);
    }
  }
  for (auto& a : out) {
    if (unknown(a)) a.afterSeq = a.since;  // no such session (deleted): nothing newly covered
  }
  return out;
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
