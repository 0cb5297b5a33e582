// SPDX-License-Identifier: MIT
// FixtureStore.h - the SQL of `im-admin fixture users` (bench and load tests): many users, their
// inbox counters and one session each, a batch per transaction instead of a login per user.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fcgi/Db.h"

namespace im::fcgi {

struct FixtureUser {
  std::string username;
  std::string tokenHashHex;  // tokenHashHex(token) (fcgi/Crypto): the rule login stores sessions by
};

class FixtureStore {
 public:
  explicit FixtureStore(Db& db) : db_(db) {}
  FixtureStore(const FixtureStore&) = delete;
  FixtureStore& operator=(const FixtureStore&) = delete;

  // In one transaction: a user per entry (all with `passwordHash`), its inbox counter at 0 and
  // one session on `device` under the entry's token hash (acked_seq 0, as login on an empty
  // mailbox). The new ids, in the order of `users`; ApiError(Conflict) when a name is taken.
  std::vector<uint64_t> addUsers(const std::vector<FixtureUser>& users, const std::string& passwordHash,
                                 const std::string& device, int64_t nowMs);

 private:
  void insertUsers(const std::vector<FixtureUser>& users, const std::string& passwordHash, const std::string& now);

  Db& db_;
};

}  // namespace im::fcgi
