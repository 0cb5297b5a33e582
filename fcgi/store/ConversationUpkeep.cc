// SPDX-License-Identifier: MIT
// ConversationUpkeep.cc - the SQL that maintains per-(user, conversation) state. The rows to
// touch come from the inbox rows of the event itself, so the participants are exactly those
// the message was delivered to (a group's fan-out, a membership change, a direct pair alike).
#include "fcgi/store/ConversationUpkeep.h"

#include <string>

#include "common/Log.h"

namespace im::fcgi {
namespace {

// unread counts messages from others: the sender's own copy adds 0. GREATEST: two sends of one
// conversation may reach this statement out of msg_id order.
constexpr const char* kOnDuplicate =
    " ON DUPLICATE KEY UPDATE last_msg_id = GREATEST(last_msg_id, VALUES(last_msg_id)),"
    " unread = unread + VALUES(unread)";

}  // namespace

void ConversationUpkeep::onStored(const common::Message& m) {
  if (m.group != 0) {
    auto& stmt = db_.prepare(std::string(
        "INSERT INTO conversations (user_id, kind, target_id, last_msg_id, unread) "
        "SELECT i.user_id, 'group', ?, i.msg_id, i.user_id <> ? FROM inbox i WHERE i.msg_id = ?") + kOnDuplicate);
    stmt.setUInt64(1, m.group);
    stmt.setUInt64(2, m.from);
    stmt.setUInt64(3, m.msgId);
    stmt.executeUpdate();
    return;
  }
  // Each side's row names the other side; a note to self is one row naming its writer.
  auto& stmt = db_.prepare(std::string(
      "INSERT INTO conversations (user_id, kind, target_id, last_msg_id, unread) "
      "SELECT i.user_id, 'direct', IF(i.user_id = ?, ?, ?), i.msg_id, i.user_id <> ? FROM inbox i "
      "WHERE i.msg_id = ?") + kOnDuplicate);
  stmt.setUInt64(1, m.from);
  stmt.setUInt64(2, m.to);
  stmt.setUInt64(3, m.from);
  stmt.setUInt64(4, m.from);
  stmt.setUInt64(5, m.msgId);
  stmt.executeUpdate();
}

// LEFT JOINs: the session's acknowledgement is written even when the range holds no row (d
// empty) or a row of a conversation without a row here (c NULL, which the UPDATE skips).
int ConversationUpkeep::acknowledge(uint64_t sessionId, uint64_t uid, uint64_t afterSeq, uint64_t since) {
  auto& stmt = db_.prepare(
      "UPDATE sessions s LEFT JOIN ("
      " SELECT IF(m.group_id IS NULL, 'direct', 'group') AS kind,"
      " COALESCE(m.group_id, IF(m.sender_id = ?, m.recipient_id, m.sender_id)) AS target_id, MAX(m.id) AS fetched"
      " FROM inbox i JOIN messages m ON m.id = i.msg_id WHERE i.user_id = ? AND i.seq > ? AND i.seq <= ?"
      " GROUP BY kind, target_id) d ON TRUE "
      "LEFT JOIN conversations c ON c.user_id = s.user_id AND c.kind = d.kind AND c.target_id = d.target_id "
      "SET s.acked_seq = GREATEST(s.acked_seq, ?), c.delivered_msg_id = GREATEST(c.delivered_msg_id, d.fetched) "
      "WHERE s.id = ?");
  stmt.setUInt64(1, uid);
  stmt.setUInt64(2, uid);
  stmt.setUInt64(3, afterSeq);
  stmt.setUInt64(4, since);
  stmt.setUInt64(5, since);
  stmt.setUInt64(6, sessionId);
  for (int attempt = 1;; ++attempt) {
    try {
      return stmt.executeUpdate();
    } catch (const sql::SQLException& e) {
      const int code = e.getErrorCode();
      if ((code != kErrDeadlock && code != kErrLockWaitTimeout) || attempt == kAckAttempts) throw;
      IM_INFO("conversations", "acknowledgement retried after MariaDB error " + std::to_string(code));
    }
  }
}

}  // namespace im::fcgi
