// SPDX-License-Identifier: MIT
// ConversationStore.cc - the SQL of the conversation list and of POST /im/read.
// Why unread stays exact under concurrent sends: markRead locks the user's row first, then
// counts in a snapshot taken after that lock (InnoDB takes a transaction's snapshot at its
// first plain read). A send that already bumped the row has committed and is counted; one
// that has not yet reached the row waits for this commit and adds its +1 afterwards.
#include "fcgi/store/ConversationStore.h"

#include <algorithm>
#include <string>

#include "common/ApiError.h"
#include "fcgi/store/MessageRow.h"

namespace im::fcgi {
namespace {

const char* kindOf(const common::Conversation& ref) { return ref.group != 0 ? "group" : "direct"; }
uint64_t targetOf(const common::Conversation& ref) { return ref.group != 0 ? ref.group : ref.with; }

}  // namespace

// The caller's rows read backwards along (user_id, last_msg_id), stopping at the limit (no
// sort), each joined by primary key to its newest message, its name and the peer's row
// (peer_read, peer_delivered). Membership is the caller's own groups (ix_group_members_user),
// not a join per row: as a LEFT JOIN the optimizer buffered it and sorted the whole list.
// FORCE INDEX: on small tables the optimizer otherwise picks the primary key and a filesort.
const std::string ConversationStore::kListSql = std::string(
    "SELECT c.kind, c.target_id, COALESCE(pu.username, g.name, ''), c.unread, c.read_msg_id,"
    " COALESCE(p.read_msg_id, 0), COALESCE(p.delivered_msg_id, 0), ") + kMessageColumns +
    " FROM conversations c FORCE INDEX (ix_conversations_recent)"
    " JOIN messages m ON m.id = c.last_msg_id JOIN users u ON u.id = m.sender_id"
    " LEFT JOIN users pu ON c.kind = 'direct' AND pu.id = c.target_id"
    " LEFT JOIN chat_groups g ON c.kind = 'group' AND g.id = c.target_id"
    " LEFT JOIN conversations p ON c.kind = 'direct' AND p.user_id = c.target_id AND p.kind = 'direct'"
    "  AND p.target_id = c.user_id"
    " WHERE c.user_id = ? AND (c.kind = 'direct' OR c.target_id IN"
    "  (SELECT gm.group_id FROM group_members gm WHERE gm.user_id = ?))"
    " ORDER BY c.last_msg_id DESC LIMIT ?";

namespace {

// Marker, membership of msg_id, unread above msg_id, newest: one round trip. `in` is the
// conversation's condition on messages (served by ix_messages_dm / ix_messages_group).
std::string readStateSql(const std::string& in) {
  return "SELECT c.read_msg_id, EXISTS (SELECT 1 FROM messages WHERE id = ? AND " + in + "),"
         " (SELECT COUNT(*) FROM messages WHERE " + in + " AND id > ? AND sender_id <> ?),"
         " (SELECT COALESCE(MAX(id), 0) FROM messages WHERE " + in + ")"
         " FROM conversations c WHERE c.user_id = ? AND c.kind = ? AND c.target_id = ?";
}
const std::string kDirectStateSql = readStateSql("dm_lo = ? AND dm_hi = ?");
const std::string kGroupStateSql = readStateSql("group_id = ?");

}  // namespace

std::vector<common::ConversationSummary> ConversationStore::list(uint64_t uid, int limit) {
  return db_.call([&] {
    auto& stmt = db_.prepare(kListSql);
    stmt.setUInt64(1, uid);
    stmt.setUInt64(2, uid);
    stmt.setInt(3, limit);
    auto rs = db_.query(stmt);
    std::vector<common::ConversationSummary> out;
    while (rs->next()) {
      common::ConversationSummary c;
      const bool group = std::string(rs->getString(1)) == "group";
      (group ? c.ref.group : c.ref.with) = rs->getUInt64(2);
      c.name = rs->getString(3);
      c.unread = rs->getUInt64(4);
      c.read = rs->getUInt64(5);
      c.peerRead = rs->getUInt64(6);
      c.peerDelivered = rs->getUInt64(7);
      c.last = readMessage(*rs, 8);
      out.push_back(std::move(c));
    }
    return out;
  });
}

bool ConversationStore::markRead(uint64_t uid, const common::Conversation& ref, uint64_t msgId) {
  return db_.call([&] {
    Transaction tx(db_);
    lockRow(uid, ref);
    const ReadState s = readState(uid, ref, msgId);
    if (!s.belongs) throw common::ApiError(common::ErrorCode::NotFound, "No such message in this conversation.");
    if (msgId <= s.marker) return false;  // never backwards; the transaction rolls back
    auto& update = db_.prepare(
        "UPDATE conversations SET read_msg_id = ?, unread = ?, last_msg_id = GREATEST(last_msg_id, ?) "
        "WHERE user_id = ? AND kind = ? AND target_id = ?");
    update.setUInt64(1, msgId);
    update.setUInt64(2, s.unread);
    update.setUInt64(3, s.newest);
    update.setUInt64(4, uid);
    update.setString(5, kindOf(ref));
    update.setUInt64(6, targetOf(ref));
    update.executeUpdate();
    tx.commit();
    return true;
  });
}

// Locks the caller's row, creating it when missing (a member who joined after the group's
// last message and reads its history).
void ConversationStore::lockRow(uint64_t uid, const common::Conversation& ref) {
  auto& stmt = db_.prepare(
      "INSERT INTO conversations (user_id, kind, target_id) VALUES (?, ?, ?) "
      "ON DUPLICATE KEY UPDATE user_id = user_id");
  stmt.setUInt64(1, uid);
  stmt.setString(2, kindOf(ref));
  stmt.setUInt64(3, targetOf(ref));
  stmt.executeUpdate();
}

ConversationStore::ReadState ConversationStore::readState(uint64_t uid, const common::Conversation& ref,
                                                          uint64_t msgId) {
  const bool group = ref.group != 0;
  auto& stmt = db_.prepare(group ? kGroupStateSql : kDirectStateSql);
  unsigned i = 1;
  const auto conversation = [&] {
    if (group) {
      stmt.setUInt64(i++, ref.group);
    } else {
      stmt.setUInt64(i++, std::min(uid, ref.with));
      stmt.setUInt64(i++, std::max(uid, ref.with));
    }
  };
  stmt.setUInt64(i++, msgId);
  conversation();
  conversation();
  stmt.setUInt64(i++, msgId);
  stmt.setUInt64(i++, uid);
  conversation();
  stmt.setUInt64(i++, uid);
  stmt.setString(i++, kindOf(ref));
  stmt.setUInt64(i++, targetOf(ref));
  auto rs = db_.query(stmt);
  if (!rs->next()) throw common::ApiError(common::ErrorCode::Unavailable, "The database is unavailable.");
  return ReadState{rs->getUInt64(1), rs->getInt(2) != 0, rs->getUInt64(3), rs->getUInt64(4)};
}

}  // namespace im::fcgi
