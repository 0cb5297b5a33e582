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

  // A device of `uid` acknowledged seqs (afterSeq, uptoSeq]: the messages of those inbox rows
  // are fetched, so each conversation's delivered marker rises to its highest one. Called
  // before the acknowledged rows may be deleted. A lock conflict is retried, then skipped
  // (the marker then trails; it never runs ahead of what was fetched).
  void onAcknowledged(uint64_t uid, uint64_t afterSeq, uint64_t uptoSeq);

 private:
  static constexpr int kAckAttempts = 3;

  Db& db_;
};

}  // namespace im::fcgi
