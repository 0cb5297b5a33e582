// SPDX-License-Identifier: MIT
// SendBatch.cc - the SQL of a batch of direct sends. The counters are bumped once per user by its
// number of inbox rows in the batch, in ascending user order (the order a single send's IN list
// locks them in), so user u with k rows owns last_seq-k+1 .. last_seq and its rows take them in
// batch order: `back` rows before the end. Only the messages' INSERT has one text per batch size
// (its rows carry bodies); the others take their rows as one JSON parameter (JSON_TABLE).
#include "fcgi/store/SendBatch.h"

#include <algorithm>
#include <map>
#include <string>

#include "common/ApiError.h"
#include "fcgi/store/MessageRow.h"

namespace im::fcgi {

std::optional<std::vector<SendResult>> SendBatch::deliver(const std::vector<common::Message>& sends) {
  const std::vector<uint64_t> ids = insertMessages(sends);
  std::vector<SendResult> out;
  out.reserve(sends.size());
  for (size_t i = 0; i < sends.size(); ++i) {
    out.push_back(SendResult{.message = sends[i], .duplicate = false, .recipients = {}});
    out.back().message.msgId = ids[i];
  }
  const std::vector<Row> rows = inboxRows(sends);
  if (!bumpCounters(rows)) return std::nullopt;
  insertInbox(rows, out);
  std::vector<DirectDelivery> deliveries;
  deliveries.reserve(rows.size());
  for (const Row& r : rows) {
    deliveries.push_back({.uid = r.uid, .peer = r.peer, .msgId = ids[r.send], .unread = r.uid != sends[r.send].from});
  }
  conversations_.onStoredDirect(deliveries);
  return out;
}

// A note to self is one row, as in send().
std::vector<SendBatch::Row> SendBatch::inboxRows(const std::vector<common::Message>& sends) {
  std::vector<Row> rows;
  std::map<uint64_t, uint64_t> total;
  for (size_t i = 0; i < sends.size(); ++i) {
    const common::Message& m = sends[i];
    rows.push_back({.uid = m.from, .peer = m.to, .send = i, .back = 0});
    ++total[m.from];
    if (m.to == m.from) continue;
    rows.push_back({.uid = m.to, .peer = m.from, .send = i, .back = 0});
    ++total[m.to];
  }
  std::map<uint64_t, uint64_t> taken;
  for (Row& r : rows) r.back = total[r.uid] - 1 - taken[r.uid]++;
  return rows;
}

// RETURNING hands the ids back in row order, ascending as the rows were inserted.
std::vector<uint64_t> SendBatch::insertMessages(const std::vector<common::Message>& sends) {
  std::string sql = std::string("INSERT INTO messages ") + kMessageInsertColumns + " VALUES ";
  for (size_t i = 0; i < sends.size(); ++i) sql += (i == 0 ? "" : ", ") + std::string(kMessageInsertRow);
  auto& stmt = db_.prepare(sql + " RETURNING id");
  for (size_t i = 0; i < sends.size(); ++i) bindMessageRow(stmt, 1 + static_cast<int>(i) * kMessageInsertParams, sends[i]);
  std::vector<uint64_t> ids;
  auto rs = db_.query(stmt);
  while (rs->next()) ids.push_back(rs->getUInt64(1));
  if (ids.size() != sends.size()) throw common::ApiError(common::ErrorCode::Unavailable, "The database is unavailable.");
  return ids;
}

// False when a participant has no counter row (no such user): fewer rows changed than users.
bool SendBatch::bumpCounters(const std::vector<Row>& rows) {
  std::map<uint64_t, uint64_t> perUser;  // ascending uid: the lock order
  for (const Row& r : rows) ++perUser[r.uid];
  std::vector<std::vector<uint64_t>> values;
  for (const auto& [uid, n] : perUser) values.push_back({uid, n});
  auto& stmt = db_.prepare(
      "UPDATE JSON_TABLE(?, '$[*]' COLUMNS (uid BIGINT UNSIGNED PATH '$[0]', n BIGINT UNSIGNED PATH '$[1]')) v "
      "JOIN inbox_counters c ON c.user_id = v.uid SET c.last_seq = c.last_seq + v.n");
  stmt.setString(1, rowsToJson(values));
  return static_cast<size_t>(stmt.executeUpdate()) == perUser.size();
}

void SendBatch::insertInbox(const std::vector<Row>& rows, std::vector<SendResult>& out) {
  std::vector<std::vector<uint64_t>> values;
  values.reserve(rows.size());
  for (const Row& r : rows) values.push_back({r.uid, r.back, out[r.send].message.msgId});
  auto& stmt = db_.prepare(
      "INSERT INTO inbox (user_id, seq, msg_id) SELECT c.user_id, c.last_seq - v.back, v.msg FROM JSON_TABLE(?, "
      "'$[*]' COLUMNS (uid BIGINT UNSIGNED PATH '$[0]', back BIGINT UNSIGNED PATH '$[1]', msg BIGINT UNSIGNED PATH "
      "'$[2]')) v JOIN inbox_counters c ON c.user_id = v.uid RETURNING user_id, seq, msg_id");
  stmt.setString(1, rowsToJson(values));
  auto rs = db_.query(stmt);
  size_t stored = 0;
  while (rs->next()) {
    const uint64_t msgId = rs->getUInt64(3);
    const auto it = std::find_if(out.begin(), out.end(), [&](const SendResult& s) { return s.message.msgId == msgId; });
    if (it != out.end()) it->recipients.push_back(common::Recipient{rs->getUInt64(1), rs->getUInt64(2)});
    ++stored;
  }
  if (stored != rows.size()) throw common::ApiError(common::ErrorCode::Unavailable, "The database is unavailable.");
  for (SendResult& s : out) {
    std::sort(s.recipients.begin(), s.recipients.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
  }
}

std::vector<bool> SendBatch::misfits(const std::vector<common::Message>& sends) {
  const std::set<uint64_t> unknown = unknownUsers(sends);
  std::set<std::pair<uint64_t, std::string>> taken = storedKeys(sends);
  std::vector<bool> out(sends.size(), false);
  for (size_t i = 0; i < sends.size(); ++i) {
    const common::Message& m = sends[i];
    out[i] = unknown.count(m.from) > 0 || unknown.count(m.to) > 0;
    if (m.clientMsgId && !taken.emplace(m.from, *m.clientMsgId).second) out[i] = true;
  }
  return out;
}

std::set<uint64_t> SendBatch::unknownUsers(const std::vector<common::Message>& sends) {
  std::vector<uint64_t> ids;
  for (const auto& m : sends) ids.insert(ids.end(), {m.from, m.to});
  auto& stmt = db_.prepare(
      "SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j "
      "LEFT JOIN inbox_counters c ON c.user_id = j.id WHERE c.user_id IS NULL");
  stmt.setString(1, idsToJson(ids));
  std::set<uint64_t> out;
  auto rs = db_.query(stmt);
  while (rs->next()) out.insert(rs->getUInt64(1));
  return out;
}

// One text per number of keyed sends: the keys are strings, bound as such (uq_messages_client_msg).
std::set<std::pair<uint64_t, std::string>> SendBatch::storedKeys(const std::vector<common::Message>& sends) {
  std::vector<const common::Message*> keyed;
  for (const auto& m : sends) {
    if (m.clientMsgId) keyed.push_back(&m);
  }
  std::set<std::pair<uint64_t, std::string>> out;
  if (keyed.empty()) return out;
  std::string sql = "SELECT sender_id, client_msg_id FROM messages WHERE ";
  for (size_t i = 0; i < keyed.size(); ++i) sql += (i == 0 ? "" : " OR ") + std::string("(sender_id = ? AND client_msg_id = ?)");
  auto& stmt = db_.prepare(sql);
  for (size_t i = 0; i < keyed.size(); ++i) {
    stmt.setUInt64(static_cast<int>(2 * i + 1), keyed[i]->from);
    stmt.setString(static_cast<int>(2 * i + 2), *keyed[i]->clientMsgId);
  }
  auto rs = db_.query(stmt);
  while (rs->next()) out.emplace(rs->getUInt64(1), std::string(rs->getString(2)));
  return out;
}

}  // namespace im::fcgi
