// SPDX-License-Identifier: MIT
// ConversationUpkeep.cc - the SQL that maintains per-(user, conversation) state. The rows to
// touch come from the inbox rows of the event itself, so the participants are exactly those
// the message was delivered to (a group's fan-out, a membership change, a direct pair alike).
#include "fcgi/store/ConversationUpkeep.h"

#include <string>

#include "fcgi/store/MessageRow.h"

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

// The rows arrive as one JSON parameter (one prepared statement for any batch); two messages of
// one conversation are two rows of it: the second meets the first's row in kOnDuplicate.
void ConversationUpkeep::onStoredDirect(const std::vector<DirectDelivery>& rows) {
  std::vector<std::vector<uint64_t>> values;
  values.reserve(rows.size());
  for (const auto& r : rows) values.push_back({r.uid, r.peer, r.msgId, r.unread ? 1u : 0u});
  auto& stmt = db_.prepare(std::string(
      "INSERT INTO conversations (user_id, kind, target_id, last_msg_id, unread) "
      "SELECT v.uid, 'direct', v.peer, v.msg, v.adds FROM JSON_TABLE(?, '$[*]' COLUMNS ("
      "uid BIGINT UNSIGNED PATH '$[0]', peer BIGINT UNSIGNED PATH '$[1]', msg BIGINT UNSIGNED PATH '$[2]', "
      "adds INT PATH '$[3]')) v") + kOnDuplicate);
  stmt.setString(1, rowsToJson(values));
  stmt.executeUpdate();
}

// The inbox rows of every ack's range, grouped by direct conversation of their user: each
// conversation row matches at most once, so its marker gets the batch's maximum (two devices of
// one user in one batch included). The ranges are intervals of the inbox's primary key. Group
// messages are left out: the API shows no delivered marker for a group, and a 1,000-member
// group's acks would otherwise rewrite 1,000 rows per message (75% of MariaDB's share of a
// fan-out, bench/README.md "A fan-out's cost"). The alias is `peer`, not `target_id`: GROUP BY would
// take messages.target_id (a membership change's subject) and lump conversations together.
void ConversationUpkeep::onFetched(const std::vector<InboxAck>& acks) {
  static const std::string sql =
      "UPDATE conversations c JOIN ("
      " SELECT i.user_id, IF(m.sender_id = i.user_id, m.recipient_id, m.sender_id) AS peer,"
      " MAX(m.id) AS fetched FROM inbox i JOIN messages m ON m.id = i.msg_id WHERE m.group_id IS NULL AND (" +
      forEachAckSlot("(i.user_id = ? AND i.seq > ? AND i.seq <= ?)", " OR ") +
      ") GROUP BY i.user_id, peer) d"
      " ON c.user_id = d.user_id AND c.kind = 'direct' AND c.target_id = d.peer "
      "SET c.delivered_msg_id = GREATEST(c.delivered_msg_id, d.fetched)";
  auto& stmt = db_.prepare(sql);
  for (size_t i = 0; i < kAckSlots; ++i) {
    const InboxAck& a = ackInSlot(acks, i);
    stmt.setUInt64(static_cast<int>(3 * i + 1), a.uid);
    stmt.setUInt64(static_cast<int>(3 * i + 2), a.afterSeq);
    stmt.setUInt64(static_cast<int>(3 * i + 3), a.since);
  }
  stmt.executeUpdate();
}

}  // namespace im::fcgi
