// SPDX-License-Identifier: MIT
// SearchStore.h - substring search over the caller's conversations (GET /im/search): a scan through
// the conversation indexes, newest first, that stops at `limit` + 1 hits, so its cost grows with the
// caller's history, never with the table. LOWER() on both sides: case-insensitive, otherwise exact
// in every script (CJK, emoji), which no FULLTEXT parser of MariaDB gives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fcgi/Db.h"
#include "fcgi/store/HistoryStore.h"

namespace im::fcgi {

class SearchStore {
 public:
  explicit SearchStore(Db& db) : db_(db) {}
  SearchStore(const SearchStore&) = delete;
  SearchStore& operator=(const SearchStore&) = delete;

  // Every conversation of `uid`: its direct conversations (either side) and the groups it is a
  // member of now (group_members), so a former member finds nothing of the group any more.
  HistoryPage everywhere(uint64_t uid, std::string_view q, std::optional<uint64_t> before, int limit);
  // The direct conversation of users a and b / one group (the caller's access is checked before).
  HistoryPage direct(uint64_t a, uint64_t b, std::string_view q, std::optional<uint64_t> before, int limit);
  HistoryPage group(uint64_t groupId, std::string_view q, std::optional<uint64_t> before, int limit);

  // The statements' text, exactly as prepared, so tests can EXPLAIN them. Placeholders, in order:
  // everywhere: (uid, lowest id, before, pattern, rows wanted) x 3 parts, then rows wanted;
  // direct: lo, hi, before, pattern, limit + 1; group: group, before, pattern, limit + 1.
  static std::string everywhereSql();
  static std::string directSql();
  static std::string groupSql();
  // "%<q with ! % _ escaped by !>%": q's characters are all literal (ESCAPE '!' does not depend
  // on sql_mode's NO_BACKSLASH_ESCAPES, so a backslash in q is an ordinary character too).
  static std::string likePattern(std::string_view q);

 private:
  uint64_t newestId();

  Db& db_;
};

}  // namespace im::fcgi
