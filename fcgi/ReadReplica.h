// SPDX-License-Identifier: MIT
// ReadReplica.h - where a user's heavy reads (history, search) run: on an async replica
// (mysql.replicas) when it already holds every message of that user, else on the primary.
// Read-your-writes: every message delivered to a user bumped inbox_counters.last_seq of that user
// in the message's own transaction, and a replica applies transactions in commit order; so a
// replica whose last_seq for the user is >= the primary's has every message the user was told of.
// A replica behind for that user, or down, is skipped (the read falls back to the primary).
#pragma once

#include <cstdint>
#include <memory>

#include "common/Config.h"
#include "fcgi/Db.h"
#include "fcgi/store/HistoryStore.h"
#include "fcgi/store/SearchStore.h"

namespace im::fcgi {

struct ReadStores {
  explicit ReadStores(Db& db) : history(db), search(db) {}
  HistoryStore history;
  SearchStore search;
};

class ReadReplica {
 public:
  ReadReplica(Db& primary, const common::MysqlConfig& config);
  ~ReadReplica();
  ReadReplica(const ReadReplica&) = delete;
  ReadReplica& operator=(const ReadReplica&) = delete;

  // The stores to read `uid`'s conversations from (one primary point read, one replica one).
  ReadStores& forUser(uint64_t uid);

 private:
  Db& primaryDb_;
  std::unique_ptr<Db> replicaDb_;  // null: no mysql.replicas
  ReadStores primaryStores_;
  std::unique_ptr<ReadStores> replicaStores_;
  int64_t skipUntilMs_ = 0;  // the replica failed: reads go to the primary until then
};

}  // namespace im::fcgi
