// SPDX-License-Identifier: MIT
// UserSeqStore.cc - the SQL of UserSeqStore.h.
#include "fcgi/store/UserSeqStore.h"

namespace im::fcgi {

uint64_t lastSeqOf(Db& db, uint64_t uid) {
  return db.call([&] {
    auto& stmt = db.prepare("SELECT last_seq FROM inbox_counters WHERE user_id = ?");
    stmt.setUInt64(1, uid);
    auto rs = db.query(stmt);
    return rs->next() ? rs->getUInt64(1) : uint64_t{0};
  });
}

}  // namespace im::fcgi
