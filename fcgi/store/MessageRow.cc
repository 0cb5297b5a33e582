// SPDX-License-Identifier: MIT
// MessageRow.cc - row -> Message.
#include "fcgi/store/MessageRow.h"

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

std::string idsToJson(const std::vector<uint64_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(',');
    out += std::to_string(ids[i]);
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
