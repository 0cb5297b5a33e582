// SPDX-License-Identifier: MIT
// ConversationUpkeep.h - keeps the conversations table (sql/migrations/0004) in step with the
// messages and acknowledgements, one statement per event whatever the group size, so the
// conversation list is never recomputed from history. Writes only; ConversationStore reads.
#pragma once

#include <cstdint>

#include "common/Protocol.h"
#include "fcgi/Db.h"

namespace im::fcgi {

class ConversationUpkeep {
 public:
  explicit ConversationUpkeep(Db& db) : db_(db) {}
  ConversationUpkeep(const ConversationUpkeep&) = delete;
  ConversationUpkeep& operator=(const ConversationUpkeep&) = delete;

  // Inside the transaction that stored `m` (msgId set), after its inbox rows: every user who
  // got an inbox row gets `m` as the newest message of the conversation, and one more unread
  // unless it is the sender. Throws sql::SQLException (the caller's transaction retries).
  void onStored(const common::Message& m);

  // Device session `sessionId` of `uid` acknowledges seqs (afterSeq, since]: in ONE statement,
  // its acked_seq rises to `since` and, since the messages of those inbox rows are now
  // fetched, each of their conversations' delivered marker rises to its highest msg_id (no
  // round trip more than the acknowledgement itself). Must run before the acknowledged rows
  // may be deleted. Returns the rows changed: 0 when nothing advanced. A deadlock is retried.
  int acknowledge(uint64_t sessionId, uint64_t uid, uint64_t afterSeq, uint64_t since);

 private:
  static constexpr int kAckAttempts = 3;  // as MessageStore: a deadlock victim runs again

  Db& db_;
};

}  // namespace im::fcgi
