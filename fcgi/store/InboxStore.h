// SPDX-License-Identifier: MIT
// InboxStore.h - the per-user inbox ("offline" table): record a batch of devices' positions,
// delete what every live device has acknowledged, read entries after a seq.
#pragma once

#include <cstdint>
#include <vector>

#include "common/Protocol.h"
#include "fcgi/Db.h"
#include "fcgi/store/ConversationUpkeep.h"
#include "fcgi/store/InboxAck.h"

namespace im::fcgi {

struct InboxEntry {
  uint64_t seq = 0;
  common::Message message;
};

class InboxStore {
 public:
  explicit InboxStore(Db& db) : db_(db), conversations_(db) {}
  InboxStore(const InboxStore&) = delete;
  InboxStore& operator=(const InboxStore&) = delete;

  // Applies a batch of acknowledgements (any number; fcgi/AckQueue coalesces them) in ONE
  // transaction of a constant number of statements per kAckSlots acks: the delivered markers of
  // the conversations of the newly acknowledged entries rise, each session's acked_seq rises to
  // its `since`, then the entries of those users that every live session (used after
  // `liveAfterMs`) has acknowledged go. Idempotent and cumulative; an ack that covers nothing
  // new writes nothing. A deadlock is retried; throws ApiError(Unavailable) when MariaDB fails
  // (nothing was written).
  void acknowledge(const std::vector<InboxAck>& acks, int64_t liveAfterMs);
  // Entries with seq > since, ascending, at most `limit`.
  std::vector<InboxEntry> read(uint64_t uid, uint64_t since, int limit);

 private:
  static constexpr int kAttempts = 3;  // as MessageStore: a deadlock victim runs again

  void applySlots(const std::vector<InboxAck>& batch, int64_t liveAfterMs);
  // `batch` with every afterSeq of InboxAck::kAfterStored replaced by the session's acked_seq
  // (one SELECT, only when there is one).
  std::vector<InboxAck> withStoredAfter(const std::vector<InboxAck>& batch);

  Db& db_;
  ConversationUpkeep conversations_;  // an acknowledgement raises delivered markers
};

}  // namespace im::fcgi
