// SPDX-License-Identifier: MIT
// ConversationUpkeep.h - keeps the conversations table (sql/migrations/0004) in step with the
// messages and acknowledgements, one statement per event whatever the group size, so the
// conversation list is never recomputed from history. Writes only; ConversationStore reads.
#pragma once

#include <cstdint>
#include <vector>

#include "common/Protocol.h"
#include "fcgi/Db.h"
#include "fcgi/store/InboxAck.h"

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

  // Inside the caller's transaction, before the acknowledged inbox rows may be deleted: the
  // messages of the inbox rows each ack newly covers are fetched, so each of their
  // conversations' delivered marker rises to its highest msg_id. ONE statement for up to
  // kAckSlots acks (the caller splits larger batches). Throws sql::SQLException.
  void onFetched(const std::vector<InboxAck>& acks);

 private:
  Db& db_;
};

}  // namespace im::fcgi
