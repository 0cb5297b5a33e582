// SPDX-License-Identifier: MIT
// StatsStore.h - the database's side of `im-admin stats`: exact counts of the small tables, InnoDB's
// row estimates of the big ones.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "fcgi/Db.h"

namespace im::fcgi {

struct DbStats {
  uint64_t users = 0;         // accounts ever made, deleted ones included
  uint64_t deletedUsers = 0;
  uint64_t groups = 0;
  uint64_t lastMsgId = 0;     // the newest message's id (ids only grow)
  std::map<std::string, uint64_t> approxRows;  // table -> estimated rows
};

// The big tables (messages, messages_archive, sessions, inbox) come from
// information_schema.TABLES.TABLE_ROWS (an estimate that ANALYZE TABLE refreshes), so that stats
// never scans them.
class StatsStore {
 public:
  explicit StatsStore(Db& db) : db_(db) {}
  StatsStore(const StatsStore&) = delete;
  StatsStore& operator=(const StatsStore&) = delete;

  DbStats read();

 private:
  uint64_t scalar(const std::string& sql);

  Db& db_;
};

}  // namespace im::fcgi
