// SPDX-License-Identifier: MIT
// UserDeletionStore.h - the SQL of `im-admin users delete` (users.deleted_at, 0010): the account
// row stays (the messages it sent keep their sender, its id and name are never reused); what only
// the user could read goes.
#pragma once

#include <cstdint>
#include <string>

#include "fcgi/Db.h"

namespace im::fcgi {

class UserDeletionStore {
 public:
  explicit UserDeletionStore(Db& db) : db_(db) {}
  UserDeletionStore(const UserDeletionStore&) = delete;
  UserDeletionStore& operator=(const UserDeletionStore&) = delete;

  // Sets deleted_at and a password hash nobody can match, with the revocation of every live
  // session, in one transaction: no login and no token of the user works once it commits.
  // False (nothing changed) when the account was already deleted. How many sessions ended.
  struct Marked {
    bool marked = false;
    uint64_t sessionsRevoked = 0;
  };
  Marked markDeleted(uint64_t uid, const std::string& unusableHash, int64_t nowMs);
  bool isDeleted(uint64_t uid);
  // Up to `batch` of the user's inbox rows (nobody will read them); how many went.
  uint64_t dropInbox(uint64_t uid, uint64_t batch);
  // The user's own conversation list (the others' rows about the user stay: their history).
  uint64_t dropConversations(uint64_t uid);

 private:
  Db& db_;
};

}  // namespace im::fcgi
