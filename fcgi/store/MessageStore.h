// SPDX-License-Identifier: MIT
// MessageStore.h - a send in ONE transaction: the message row, the next inbox seq of every
// participant and one inbox row each, with a constant number of statements for any group size.
// (sender, client_msg_id) makes a send idempotent; deadlocks retry the whole transaction.
// deliver() is the one path every stored message takes (a person's send and a group
// membership change alike), so whatever upkeep a stored message needs belongs there.
// Here ConversationUpkeep keeps every participant's conversation row in step. The one other path
// is sendBatch(): the direct sends queued together, in one transaction (SendBatch, which does
// deliver()'s upkeep for all of them at once: keep the two in step); the rest go through send().
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "common/ApiError.h"
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

// One send's outcome in a batch: what send() of it alone would have returned or thrown.
struct SendOutcome {
  std::optional<SendResult> result;        // set on success (duplicate included)
  std::optional<common::ApiError> error;   // set when send() alone would have thrown ApiError
};

class MessageStore {
 public:
  static constexpr size_t kMaxBatch = 16;

  explicit MessageStore(Db& db) : db_(db), conversations_(db) {}
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  // Stores `m` (from, to|group, body, clientMsgId, createdAtMs set by the caller) and commits.
  // Throws ApiError NotFound (unknown recipient or group), Forbidden (not a member), Unavailable.
  SendResult send(const common::Message& m);
  // Stores every message of `batch` (same fields as send()), outcomes[i] for batch[i]. Direct
  // person-to-person sends (group == 0, type Person) go in ONE transaction, one statement per
  // table for all of them; seqs are given in batch order (as if sent one after another). Anything
  // the batch cannot take (a group send, an unknown recipient, a client_msg_id already stored) is
  // sent alone with send(), so each outcome is exactly send()'s. A batch of one is send().
  // A transaction takes at most kMaxBatch of them (the caller's bound; a longer batch is split).
  std::vector<SendOutcome> sendBatch(const std::vector<common::Message>& batch);

  // Inside the caller's open transaction: inserts `m` (any type) into the history and gives it
  // the next inbox seq of every participant (direct: both ends; group: every member at this
  // point of the transaction). The caller has checked (and locked) who may write it.
  SendResult deliver(const common::Message& m);
  // Called by deliver() with the seqs it allocated, inside the transaction (the counter rows
  // are locked until its COMMIT): the worker's SeqHint::raise.
  void onAllocated(std::function<void(const std::vector<common::Recipient>&)> listener) {
    onAllocated_ = std::move(listener);
  }

 private:
  SendResult attempt(const common::Message& m);
  uint64_t insertMessage(const common::Message& m);
  void allocateDirect(const common::Message& m, uint64_t msgId, SendResult& out);
  void lockGroup(const common::Message& m);
  void allocateGroup(const common::Message& m, uint64_t msgId, SendResult& out);
  SendResult findDuplicate(const common::Message& m);
  bool storeTogether(const std::vector<common::Message>& batch, const std::vector<size_t>& direct,
                     std::vector<SendOutcome>& out);
  void storeChunk(const std::vector<common::Message>& batch, const std::vector<size_t>& chunk,
                  std::vector<SendOutcome>& out, std::vector<size_t>& alone);
  std::vector<size_t> withoutMisfits(const std::vector<common::Message>& batch, const std::vector<size_t>& chunk,
                                     std::vector<size_t>& alone);
  std::optional<std::vector<SendResult>> attemptBatch(const std::vector<common::Message>& sends);
  SendOutcome sendAlone(const common::Message& m);

  Db& db_;
  ConversationUpkeep conversations_;  // every stored message updates its participants' conversations
  std::function<void(const std::vector<common::Recipient>&)> onAllocated_;
};

}  // namespace im::fcgi
