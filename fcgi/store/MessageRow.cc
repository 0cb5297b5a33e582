// SPDX-License-Identifier: MIT
// MessageRow.cc - row -> Message, and Message -> an insert's row.
#include "fcgi/store/MessageRow.h"

#include <algorithm>

#include "common/Time.h"

namespace im::fcgi {

common::Message readMessage(sql::ResultSet& rs, uint32_t first) {
  common::Message m;
  m.msgId = rs.getUInt64(first);
  m.from = rs.getUInt64(first + 1);
  m.fromName = rs.getString(first + 2);
  m.to = rs.isNull(first + 3) ? 0 : rs.getUInt64(first + 3);
  m.group = rs.isNull(first + 4) ? 0 : rs.getUInt64(first + 4);
  m.body = rs.getString(first + 5);
  if (!rs.isNull(first + 6)) m.clientMsgId = std::string(rs.getString(first + 6));
  m.createdAtMs = common::parseSqlDateTime(std::string(rs.getString(first + 7))).value_or(0);
  // A person's message has NULLs here (and so no "type", "target", "role").
  if (!rs.isNull(first + 8)) {
    m.type = common::parseMessageType(std::string(rs.getString(first + 8))).value_or(common::MessageType::Person);
  }
  m.target = rs.isNull(first + 9) ? 0 : rs.getUInt64(first + 9);
  if (!rs.isNull(first + 10)) m.role = common::parseGroupRole(std::string(rs.getString(first + 10)));
  return m;
}

void bindMessageRow(sql::PreparedStatement& stmt, int first, const common::Message& m) {
  const auto at = [first](int column) { return first + column - 1; };
  stmt.setUInt64(at(1), m.from);
  if (m.group != 0) {
    stmt.setNull(at(2), sql::DataType::BIGINT);
    stmt.setUInt64(at(3), m.group);
    stmt.setNull(at(4), sql::DataType::BIGINT);
    stmt.setNull(at(5), sql::DataType::BIGINT);
  } else {
    stmt.setUInt64(at(2), m.to);
    stmt.setNull(at(3), sql::DataType::BIGINT);
    stmt.setUInt64(at(4), std::min(m.from, m.to));
    stmt.setUInt64(at(5), std::max(m.from, m.to));
  }
  if (m.clientMsgId) stmt.setString(at(6), *m.clientMsgId);
  else stmt.setNull(at(6), sql::DataType::VARCHAR);
  stmt.setString(at(7), m.body);
  stmt.setString(at(8), common::formatSqlDateTime(m.createdAtMs));
  if (m.type != common::MessageType::Person) stmt.setString(at(9), std::string(common::toString(m.type)));
  else stmt.setNull(at(9), sql::DataType::VARCHAR);
  if (m.target != 0) stmt.setUInt64(at(10), m.target);
  else stmt.setNull(at(10), sql::DataType::BIGINT);
  if (m.role) stmt.setString(at(11), std::string(common::toString(*m.role)));
  else stmt.setNull(at(11), sql::DataType::VARCHAR);
}

std::string idsToJson(const std::vector<uint64_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(',');
    out += std::to_string(ids[i]);
  }
  out.push_back(']');
  return out;
}

std::string rowsToJson(const std::vector<std::vector<uint64_t>>& rows) {
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i) out.push_back(',');
    out += idsToJson(rows[i]);
  }
  out.push_back(']');
  return out;
}

HistoryPage readPage(Db& db, sql::PreparedStatement& stmt, int limit) {
  auto rs = db.query(stmt);
  HistoryPage out;
  while (rs->next()) out.messages.push_back(readMessage(*rs));
  if (out.messages.size() > static_cast<size_t>(limit)) {
    out.messages.pop_back();
    out.more = true;
  }
  return out;
}

}  // namespace im::fcgi
