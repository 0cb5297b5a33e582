// SPDX-License-Identifier: MIT
// UserStore.h - users and their password hashes; a new user gets its inbox counter in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fcgi/Db.h"

namespace im::fcgi {

struct UserCredentials {
  uint64_t id = 0;
  std::string passwordHash;
};

class UserStore {
 public:
  explicit UserStore(Db& db) : db_(db) {}
  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;

  // The new user's id; ApiError(Conflict) when the name is taken.
  uint64_t create(const std::string& username, const std::string& passwordHash, int64_t nowMs);
  std::optional<UserCredentials> findByName(const std::string& username);
  bool exists(uint64_t uid);
  // (id, username) of those of `ids` that exist, in one query.
  std::vector<std::pair<uint64_t, std::string>> usernames(const std::vector<uint64_t>& ids);
  // (id, username) of the live accounts (not deleted) whose name starts with `prefix`,
  // ascending by name, at most `limit`: a range scan of the unique username index.
  std::vector<std::pair<uint64_t, std::string>> withPrefix(const std::string& prefix, int limit);

 private:
  Db& db_;
};

}  // namespace im::fcgi
