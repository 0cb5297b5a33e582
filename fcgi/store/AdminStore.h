// SPDX-License-Identifier: MIT
// AdminStore.h - the SQL only im-admin runs: a user's sessions, revoking them, replacing a
// password hash, archiving, pruning dead sessions and acknowledged inbox rows. The service
// account's grants suffice.
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
  // The token hashes (hex) of the sessions revoke(uid, sessionId) covers, revoked ones included:
  // their token cache tombstones are written before and after the revocation.
  std::vector<std::string> tokenHashes(uint64_t uid, uint64_t sessionId);
  // False when no such user.
  bool setPasswordHash(uint64_t uid, const std::string& hash);

  // Moves the messages with id in (afterId, afterId + batch] older than `cutoffMs` and no
  // longer in anyone's inbox to messages_archive, in one short transaction (READ COMMITTED: no
  // gap locks in front of concurrent sends). `more` is false once the range reached messages
  // at or past the cutoff, or the end of the table.
  struct ArchiveBatch {
    uint64_t moved = 0;
    uint64_t lastId = 0;  // the next batch starts after it
    bool more = false;
  };
  ArchiveBatch archiveBatch(uint64_t afterId, uint64_t batch, int64_t cutoffMs);

  // Deletes up to `batch` sessions with id > afterId that no token can use any more: revoked,
  // or unused since `idleBeforeMs` (auth.token_idle_days ago: authentication refuses them, and
  // nothing makes them usable again). One statement, its own short transaction, walking ids.
  struct PruneBatch {
    uint64_t deleted = 0;
    uint64_t lastId = 0;  // the next batch starts after it
  };
  PruneBatch pruneSessions(uint64_t afterId, uint64_t batch, int64_t idleBeforeMs);
  // Up to `batch` users with inbox rows, uid > afterUid, ascending.
  std::vector<uint64_t> inboxUsers(uint64_t afterUid, uint64_t batch);
  // Deletes up to `batch` inbox rows of `uid` that every live device (not revoked, used after
  // `liveAfterMs`) has acknowledged: InboxStore::acknowledge's rule, which runs only when a
  // device polls. With no live device, every row goes: a new login starts at the user's last
  // seq, so no session can read them again. How many rows went.
  uint64_t pruneInbox(uint64_t uid, uint64_t batch, int64_t liveAfterMs);

 private:
  Db& db_;
};

}  // namespace im::fcgi
