// SPDX-License-Identifier: MIT
// HistoryStore.cc - the SQL of history: limit + 1 rows tell whether there is more.
#include "fcgi/store/HistoryStore.h"

#include <algorithm>
#include <limits>

#include "fcgi/store/MessageRow.h"

namespace im::fcgi {
namespace {

// "before" absent = newest: an id no message has.
uint64_t upperBound(std::optional<uint64_t> before) {
  return before.value_or(std::numeric_limits<uint64_t>::max());
}

}  // namespace

HistoryPage HistoryStore::direct(uint64_t a, uint64_t b, std::optional<uint64_t> before, int limit) {
  return db_.call([&] {
    auto& stmt = db_.prepare(std::string("SELECT ") + kMessageColumns +
                             " FROM messages m JOIN users u ON u.id = m.sender_id"
                             " WHERE m.dm_lo = ? AND m.dm_hi = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?");
    stmt.setUInt64(1, std::min(a, b));
    stmt.setUInt64(2, std::max(a, b));
    stmt.setUInt64(3, upperBound(before));
    stmt.setInt(4, limit + 1);
    return readPage(db_, stmt, limit);
  });
}

HistoryPage HistoryStore::group(uint64_t groupId, std::optional<uint64_t> before, int limit) {
  return db_.call([&] {
    auto& stmt = db_.prepare(std::string("SELECT ") + kMessageColumns +
                             " FROM messages m JOIN users u ON u.id = m.sender_id"
                             " WHERE m.group_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?");
    stmt.setUInt64(1, groupId);
    stmt.setUInt64(2, upperBound(before));
    stmt.setInt(3, limit + 1);
    return readPage(db_, stmt, limit);
  });
}


}  // namespace im::fcgi
