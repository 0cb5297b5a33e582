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

// One inbox row of a direct message: `uid` got message `msgId` of its conversation with `peer`
// (itself for a note to self); `unread` unless `uid` sent it.
struct DirectDelivery {
  uint64_t uid = 0;
  uint64_t peer = 0;
  uint64_t msgId = 0;
  bool unread = false;
};

class ConversationUpkeep {
 public:
  explicit ConversationUpkeep(Db& db) : db_(db) {}
  ConversationUpkeep(const ConversationUpkeep&) = delete;
  ConversationUpkeep& operator=(const ConversationUpkeep&) = delete;

  // Inside the transaction that stored `m` (msgId set), after its inbox rows: every user who
  // got an inbox row gets `m` as the newest message of the conversation, and one more unread
  // unless it is the sender. Throws sql::SQLException (the caller's transaction retries).
  void onStored(const common::Message& m);

  // onStored() of several direct messages at once (SendBatch), ONE statement for any count: the
  // inbox rows they made. Throws sql::SQLException.
  void onStoredDirect(const std::vector<DirectDelivery>& rows);

  // Inside the caller's transaction, before the acknowledged inbox rows may be deleted: the
  // messages of the inbox rows each ack newly covers are fetched, so each of their direct
  // conversations' delivered marker rises to its highest msg_id (a group row's is not kept: the
  // API has no delivered marker for groups). ONE statement for up to
  // kAckSlots acks (the caller splits larger batches). Throws sql::SQLException.
  void onFetched(const std::vector<InboxAck>& acks);

 private:
  Db& db_;
};

}  // namespace im::fcgi
