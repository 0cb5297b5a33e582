// SPDX-License-Identifier: MIT
// SessionStore.h - device sessions: created at login under the SHA-256 of the token, found by it,
// touched at most once a minute, revoked at logout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fcgi/Db.h"

namespace im::fcgi {

struct AuthSession {
  uint64_t sessionId = 0;
  uint64_t userId = 0;
  std::string username;
  int64_t lastUsedMs = 0;
  uint64_t ackedSeq = 0;  // what this device had acknowledged when it was looked up
  uint64_t lastSeq = 0;   // the mailbox's last allocated seq when it was looked up
  bool seqsRead = true;   // false when it came from the token cache: ackedSeq and lastSeq unknown
};

struct NewSession {
  uint64_t sessionId = 0;
  uint64_t lastSeq = 0;  // the mailbox's last seq at login: login's "next"
};

class SessionStore {
 public:
  explicit SessionStore(Db& db) : db_(db) {}
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  // A new session whose acked_seq starts at the user's current last_seq (a new device
  // does not hold back the deletion of entries older than itself); that seq comes back too.
  NewSession create(uint64_t uid, const std::string& tokenHashHex, const std::string& device, int64_t nowMs);
  // The live (unrevoked, used after `minLastUsedMs`) session of a token hash, with its
  // mailbox's last seq read in the same statement (the poll's since check costs no round trip).
  std::optional<AuthSession> find(const std::string& tokenHashHex, int64_t minLastUsedMs);
  void touch(uint64_t sessionId, int64_t nowMs);
  void revoke(uint64_t sessionId, int64_t nowMs);

 private:
  Db& db_;
};

}  // namespace im::fcgi
