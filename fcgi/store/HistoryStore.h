// SPDX-License-Identifier: MIT
// HistoryStore.h - reads a conversation from the messages ("cloud") table, newest first,
// by keyset (msg_id < before) so that deep pages cost the same as the first.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/Protocol.h"
#include "fcgi/Db.h"
#include "fcgi/store/MessageRow.h"

namespace im::fcgi {

class HistoryStore {
 public:
  explicit HistoryStore(Db& db) : db_(db) {}
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // The direct conversation of users a and b.
  HistoryPage direct(uint64_t a, uint64_t b, std::optional<uint64_t> before, int limit);
  HistoryPage group(uint64_t groupId, std::optional<uint64_t> before, int limit);

 private:
  Db& db_;
};

}  // namespace im::fcgi
