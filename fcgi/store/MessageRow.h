// SPDX-License-Identifier: MIT
// MessageRow.h - the one column list a Message is read with (messages m JOIN users u), its reader,
// and the reader of a page of them (history and search); the one row a Message is inserted as.
#pragma once

#include <cppconn/resultset.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/Protocol.h"
#include "fcgi/Db.h"

namespace im::fcgi {

// Eleven columns; the query must alias messages as m and the sender (users) as u.
inline constexpr const char* kMessageColumns =
    "m.id, m.sender_id, u.username, m.recipient_id, m.group_id, m.body, m.client_msg_id, m.created_at, "
    "m.type, m.target_id, m.role";

// Reads the kMessageColumns starting at 1-based column `first`.
common::Message readMessage(sql::ResultSet& rs, uint32_t first = 1);

// INSERT INTO messages kMessageInsertColumns VALUES kMessageInsertRow[, kMessageInsertRow...]:
// a send's row, and a batch's rows one after another.
inline constexpr const char* kMessageInsertColumns =
    "(sender_id, recipient_id, group_id, dm_lo, dm_hi, client_msg_id, body, created_at, type, target_id, role)";
inline constexpr const char* kMessageInsertRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
inline constexpr int kMessageInsertParams = 11;

// Binds `m` to the kMessageInsertParams placeholders of a kMessageInsertRow from 1-based `first`.
void bindMessageRow(sql::PreparedStatement& stmt, int first, const common::Message& m);

// A page of a conversation, newest first; `more` when older messages follow.
struct HistoryPage {
  std::vector<common::Message> messages;
  bool more = false;
};

// Runs `stmt`, which selects kMessageColumns with LIMIT limit + 1: the extra row only says `more`.
HistoryPage readPage(Db& db, sql::PreparedStatement& stmt, int limit);

// "[1,2,3]": how an id list is passed to JSON_TABLE, so one prepared statement serves any count.
std::string idsToJson(const std::vector<uint64_t>& ids);
// "[[1,2],[3,4]]": rows of ids for a JSON_TABLE with a column per position ('$[0]', '$[1]', ...).
std::string rowsToJson(const std::vector<std::vector<uint64_t>>& rows);

}  // namespace im::fcgi
