// SPDX-License-Identifier: MIT
// SearchStore.cc - the search SQL. Each part walks one index whose order is id (FORCE INDEX: the
// plan must never become a primary-key walk over everyone's messages, whatever the statistics say)
// and stops after limit + 1 hits; limit + 1 rows tell whether there is more.
#include "fcgi/store/SearchStore.h"

#include <algorithm>
#include <limits>

#include "fcgi/store/MessageRow.h"

namespace im::fcgi {
namespace {

// The first id window of a search over every conversation, and the widest one.
constexpr uint64_t kFirstWindow = uint64_t{1} << 15, kMaxWindow = uint64_t{1} << 60;

// Only messages people wrote: a membership change's body ("alice added bob") is not what a
// search for a name means to find.
constexpr const char* kMatch = " AND type IS NULL AND LOWER(body) LIKE LOWER(?) ESCAPE '!'";

uint64_t upperBound(std::optional<uint64_t> before) {
  return before.value_or(std::numeric_limits<uint64_t>::max());
}

// The hits' ids (a derived table `hit`) -> whole messages, newest first.
std::string messagesOf(const std::string& hits) {
  return std::string("SELECT ") + kMessageColumns + " FROM (" + hits +
         ") hit JOIN messages m ON m.id = hit.id JOIN users u ON u.id = m.sender_id ORDER BY m.id DESC LIMIT ?";
}

}  // namespace

std::string SearchStore::everywhereSql() {
  const std::string tail = std::string(" AND id >= ? AND id < ?") + kMatch + " ORDER BY id DESC LIMIT ?)";
  // A message to oneself has dm_lo = dm_hi: the first part finds it, the second skips it.
  return messagesOf(
      "(SELECT id FROM messages FORCE INDEX (ix_messages_dm_lo) WHERE dm_lo = ?" + tail +
      " UNION ALL (SELECT id FROM messages FORCE INDEX (ix_messages_dm_hi) WHERE dm_hi = ? AND dm_lo <> dm_hi" +
      tail +
      " UNION ALL (SELECT id FROM messages FORCE INDEX (ix_messages_group) WHERE group_id IN"
      " (SELECT group_id FROM group_members WHERE user_id = ?)" +
      tail);
}

std::string SearchStore::directSql() {
  return std::string("SELECT ") + kMessageColumns +
         " FROM messages m FORCE INDEX (ix_messages_dm) JOIN users u ON u.id = m.sender_id"
         " WHERE m.dm_lo = ? AND m.dm_hi = ? AND m.id < ? AND m.type IS NULL AND LOWER(m.body) LIKE LOWER(?) ESCAPE '!'"
         " ORDER BY m.id DESC LIMIT ?";
}

std::string SearchStore::groupSql() {
  return std::string("SELECT ") + kMessageColumns +
         " FROM messages m FORCE INDEX (ix_messages_group) JOIN users u ON u.id = m.sender_id"
         " WHERE m.group_id = ? AND m.id < ? AND m.type IS NULL AND LOWER(m.body) LIKE LOWER(?) ESCAPE '!'"
         " ORDER BY m.id DESC LIMIT ?";
}

std::string SearchStore::likePattern(std::string_view q) {
  std::string out = "%";
  for (const char c : q) {
    if (c == '!' || c == '%' || c == '_') out.push_back('!');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

// Newest window of ids first, each 8 times wider than the last: a query that hits often is answered
// from the first window(s) without reading the rest of the caller's history; one that hits nothing
// reads each of the caller's rows once, in a handful of statements (1,000,000 ids: 3;
// each statement costs ~0.4 ms even when it finds nothing, which a small history notices).
HistoryPage SearchStore::everywhere(uint64_t uid, std::string_view q, std::optional<uint64_t> before, int limit) {
  return db_.call([&] {
    const std::string pattern = likePattern(q);
    HistoryPage out;
    uint64_t upper = std::min(upperBound(before), newestId() + 1);
    for (uint64_t window = kFirstWindow; upper > 0 && out.messages.size() <= static_cast<size_t>(limit);
         window = std::min(window * 8, kMaxWindow)) {
      const uint64_t lower = upper > window ? upper - window : 0;
      auto& stmt = db_.prepare(everywhereSql());
      const int need = limit + 1 - static_cast<int>(out.messages.size());
      for (uint32_t part = 0; part < 3; ++part) {
        stmt.setUInt64(part * 5 + 1, uid);
        stmt.setUInt64(part * 5 + 2, lower);
        stmt.setUInt64(part * 5 + 3, upper);
        stmt.setString(part * 5 + 4, pattern);
        stmt.setInt(part * 5 + 5, need);
      }
      stmt.setInt(16, need);
      auto rs = db_.query(stmt);
      while (rs->next()) out.messages.push_back(readMessage(*rs));
      upper = lower;
    }
    if (out.messages.size() > static_cast<size_t>(limit)) {
      out.messages.resize(static_cast<size_t>(limit));
      out.more = true;
    }
    return out;
  });
}

uint64_t SearchStore::newestId() {
  auto& stmt = db_.prepare("SELECT COALESCE(MAX(id), 0) FROM messages");
  auto rs = db_.query(stmt);
  return rs->next() ? rs->getUInt64(1) : 0;
}

HistoryPage SearchStore::direct(uint64_t a, uint64_t b, std::string_view q, std::optional<uint64_t> before,
                                int limit) {
  return db_.call([&] {
    auto& stmt = db_.prepare(directSql());
    stmt.setUInt64(1, std::min(a, b));
    stmt.setUInt64(2, std::max(a, b));
    stmt.setUInt64(3, upperBound(before));
    stmt.setString(4, likePattern(q));
    stmt.setInt(5, limit + 1);
    return readPage(db_, stmt, limit);
  });
}

HistoryPage SearchStore::group(uint64_t groupId, std::string_view q, std::optional<uint64_t> before, int limit) {
  return db_.call([&] {
    auto& stmt = db_.prepare(groupSql());
    stmt.setUInt64(1, groupId);
    stmt.setUInt64(2, upperBound(before));
    stmt.setString(3, likePattern(q));
    stmt.setInt(4, limit + 1);
    return readPage(db_, stmt, limit);
  });
}

}  // namespace im::fcgi
