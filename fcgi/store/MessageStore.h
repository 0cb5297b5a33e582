// SPDX-License-Identifier: MIT
// MessageStore.h - a send in ONE transaction: the message row, the next inbox seq of every
// participant and one inbox row each, with a constant number of statements for any group size.
// (sender, client_msg_id) makes a send idempotent; deadlocks retry the whole transaction.
// deliver() is the one path every stored message takes (a person's send and a group
// membership change alike), so whatever upkeep a stored message needs belongs there.
// Here ConversationUpkeep keeps every participant's conversation row in step.
#pragma once

#include <cstdint>
#include <vector>

#include "common/Notification.h"
#include "common/Protocol.h"
#include "fcgi/Db.h"
#include "fcgi/store/ConversationUpkeep.h"

namespace im::fcgi {

struct SendResult {
  // The message as stored, msg_id set. When duplicate it is the first send's: its body,
  // addressee and time win over the retry's.
  common::Message message;
  bool duplicate = false;
  // (uid, seq) of every participant; when duplicate, those whose inbox row is still unacknowledged.
  std::vector<common::Recipient> recipients;
};

class MessageStore {
 public:
  explicit MessageStore(Db& db) : db_(db), conversations_(db) {}
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  // Stores `m` (from, to|group, body, clientMsgId, createdAtMs set by the caller) and commits.
  // Throws ApiError NotFound (unknown recipient or group), Forbidden (not a member), Unavailable.
  SendResult send(const common::Message& m);

  // Inside the caller's open transaction: inserts `m` (any type) into the history and gives it
  // the next inbox seq of every participant (direct: both ends; group: every member at this
  // point of the transaction). The caller has checked (and locked) who may write it.
  SendResult deliver(const common::Message& m);

 private:
  SendResult attempt(const common::Message& m);
  uint64_t insertMessage(const common::Message& m);
  void allocateDirect(const common::Message& m, uint64_t msgId, SendResult& out);
  void lockGroup(const common::Message& m);
  void allocateGroup(const common::Message& m, uint64_t msgId, SendResult& out);
  SendResult findDuplicate(const common::Message& m);

  Db& db_;
  ConversationUpkeep conversations_;  // every stored message updates its participants' conversations
};

}  // namespace im::fcgi
