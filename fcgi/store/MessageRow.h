// SPDX-License-Identifier: MIT
// MessageRow.h - the one column list a Message is read with (messages m JOIN users u), its reader,
// and the reader of a page of them (history and search).
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

// A page of a conversation, newest first; `more` when older messages follow.
struct HistoryPage {
  std::vector<common::Message> messages;
  bool more = false;
};

// Runs `stmt`, which selects kMessageColumns with LIMIT limit + 1: the extra row only says `more`.
HistoryPage readPage(Db& db, sql::PreparedStatement& stmt, int limit);

// "[1,2,3]": how an id list is passed to JSON_TABLE, so one prepared statement serves any count.
std::string idsToJson(const std::vector<uint64_t>& ids);

}  // namespace im::fcgi
