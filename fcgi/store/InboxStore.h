// SPDX-License-Identifier: MIT
// InboxStore.h - the per-user inbox ("offline" table): acknowledge a device's position,
// delete what every live device has acknowledged, read entries after a seq.
#pragma once

#include <cstdint>
#include <vector>

#include "common/Protocol.h"
#include "fcgi/Db.h"
#include "fcgi/store/ConversationUpkeep.h"

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

  // Raises this session's acked_seq to `since` (at most the mailbox's last seq: the caller
  // checked it, common/PollCursor); when it advanced, raises the delivered markers of the
  // conversations of the newly acknowledged entries, then deletes the user's entries
  // that every live session (used after `liveAfterMs`) has acknowledged.
  // `ackedSeq` is the session's acknowledged seq as authentication read it: a poll that
  // acknowledges nothing new (most are: a timed-out poll re-polls with the same since)
  // costs no write at all.
  void acknowledge(uint64_t sessionId, uint64_t uid, uint64_t since, uint64_t ackedSeq, int64_t liveAfterMs);
  // Entries with seq > since, ascending, at most `limit`.
  std::vector<InboxEntry> read(uint64_t uid, uint64_t since, int limit);

 private:
  Db& db_;
  ConversationUpkeep conversations_;  // an acknowledgement raises delivered markers
};

}  // namespace im::fcgi
