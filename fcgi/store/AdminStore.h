// SPDX-License-Identifier: MIT
// AdminStore.h - the SQL only im-admin runs: a user's sessions, revoking them, replacing a
// password hash. The service account's grants (SELECT, UPDATE on im.*) suffice.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fcgi/Db.h"

namespace im::fcgi {

struct SessionRow {
  uint64_t id = 0;
  std::string device;
  uint64_t ackedSeq = 0;
  int64_t createdMs = 0;
  int64_t lastUsedMs = 0;
  int64_t revokedMs = 0;  // 0 while valid
};

class AdminStore {
 public:
  explicit AdminStore(Db& db) : db_(db) {}
  AdminStore(const AdminStore&) = delete;
  AdminStore& operator=(const AdminStore&) = delete;

  // Every session of `uid`, newest first, revoked ones included.
  std::vector<SessionRow> sessionsOf(uint64_t uid);
  // Revokes the live sessions of `uid` (all of them, or only `sessionId` when non-zero); how many.
  uint64_t revoke(uint64_t uid, uint64_t sessionId, int64_t nowMs);
  // False when no such user.
  bool setPasswordHash(uint64_t uid, const std::string& hash);

 private:
  Db& db_;
};

}  // namespace im::fcgi
