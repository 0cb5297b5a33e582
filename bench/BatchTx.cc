// SPDX-License-Identifier: MIT
// BatchTx.cc - the SQL of fcgi/store/SendBatch.cc and ConversationUpkeep::onStoredDirect with the
// bench's message row (MysqlTxBench.cc); the rows of the last three go as one JSON parameter.
#include "bench/BatchTx.h"

#include <cppconn/resultset.h>

#include <algorithm>
#include <string>

namespace im::bench {
namespace {

std::string json(const std::vector<std::vector<uint64_t>>& rows) {
  std::string out = "[";
  for (const auto& row : rows) {
    out += out.size() > 1 ? ",[" : "[";
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + std::to_string(row[i]);
    out += "]";
  }
  return out + "]";
}

}  // namespace

BatchTx::BatchTx(sql::Connection& conn)
    : conn_(conn),
      bump_(conn.prepareStatement(
          "UPDATE JSON_TABLE(?, '$[*]' COLUMNS (uid BIGINT UNSIGNED PATH '$[0]', n BIGINT UNSIGNED PATH '$[1]')) v "
          "JOIN inbox_counters c ON c.user_id = v.uid SET c.last_seq = c.last_seq + v.n")),
      inbox_(conn.prepareStatement(
          "INSERT INTO inbox (user_id, seq, msg_id) SELECT c.user_id, c.last_seq - v.back, v.msg FROM JSON_TABLE(?, "
          "'$[*]' COLUMNS (uid BIGINT UNSIGNED PATH '$[0]', back BIGINT UNSIGNED PATH '$[1]', msg BIGINT UNSIGNED PATH "
          "'$[2]')) v JOIN inbox_counters c ON c.user_id = v.uid RETURNING user_id, seq, msg_id")),
      conversations_(conn.prepareStatement(
          "INSERT INTO conversations (user_id, kind, target_id, last_msg_id, unread) "
          "SELECT v.uid, 'direct', v.peer, v.msg, v.adds FROM JSON_TABLE(?, '$[*]' COLUMNS ("
          "uid BIGINT UNSIGNED PATH '$[0]', peer BIGINT UNSIGNED PATH '$[1]', msg BIGINT UNSIGNED PATH '$[2]', "
          "adds INT PATH '$[3]')) v ON DUPLICATE KEY UPDATE last_msg_id = GREATEST(last_msg_id, VALUES(last_msg_id)), "
          "unread = unread + VALUES(unread)")) {}

sql::PreparedStatement& BatchTx::messages(size_t rows) {
  auto& stmt = messages_[rows];
  if (!stmt) {
    std::string sql = "INSERT INTO messages (sender_id, recipient_id, group_id, dm_lo, dm_hi, client_msg_id, body, "
                      "created_at) VALUES ";
    for (size_t i = 0; i < rows; ++i) sql += std::string(i ? ", " : "") + "(?, ?, NULL, ?, ?, NULL, ?, UTC_TIMESTAMP(3))";
    stmt.reset(conn_.prepareStatement(sql + " RETURNING id"));
  }
  return *stmt;
}

void BatchTx::run(const std::vector<std::pair<uint64_t, uint64_t>>& sends) {
  auto& insert = messages(sends.size());
  for (size_t i = 0; i < sends.size(); ++i) {
    const auto [from, to] = sends[i];
    const int p = static_cast<int>(5 * i);
    insert.setUInt64(p + 1, from);
    insert.setUInt64(p + 2, to);
    insert.setUInt64(p + 3, std::min(from, to));
    insert.setUInt64(p + 4, std::max(from, to));
    insert.setString(p + 5, "bench 0");
  }
  std::vector<uint64_t> ids;
  std::unique_ptr<sql::ResultSet> rs(insert.executeQuery());
  while (rs->next()) ids.push_back(rs->getUInt64(1));
  // (uid, peer, msg, unread) of each inbox row in batch order; a note to self is one row
  std::vector<std::vector<uint64_t>> rows;
  std::map<uint64_t, uint64_t> total;
  for (size_t i = 0; i < sends.size() && i < ids.size(); ++i) {
    const auto [from, to] = sends[i];
    rows.push_back({from, to, ids[i], 0});
    ++total[from];
    if (to == from) continue;
    rows.push_back({to, from, ids[i], 1});
    ++total[to];
  }
  std::vector<std::vector<uint64_t>> perUser, inboxRows;
  for (const auto& [uid, n] : total) perUser.push_back({uid, n});
  std::map<uint64_t, uint64_t> taken;
  for (const auto& r : rows) {
    inboxRows.push_back({r[0], total[r[0]] - 1 - taken[r[0]]++, r[2]});
  }
  bump_->setString(1, json(perUser));
  bump_->executeUpdate();
  inbox_->setString(1, json(inboxRows));
  std::unique_ptr<sql::ResultSet> seqs(inbox_->executeQuery());
  while (seqs->next()) {
  }
  conversations_->setString(1, json(rows));
  conversations_->executeUpdate();
}

}  // namespace im::bench
