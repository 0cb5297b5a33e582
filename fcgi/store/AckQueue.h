// SPDX-License-Identifier: MIT
// AckQueue.h - a worker's acknowledgements, coalesced: a poll queues its device's `since` here
// and the worker writes the queue as one InboxStore batch (one transaction) when it is full or
// its oldest entry has waited kMaxDelayMs, and before the worker exits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "common/Clock.h"
#include "fcgi/store/InboxAck.h"
#include "fcgi/store/InboxStore.h"

namespace im::fcgi {

// Why the acknowledgement may wait: the device's cursor (the `since` it sends) is the truth for
// what it has seen; an ack only decides when inbox rows may go and what peer_delivered says.
// Both only ever lag: a row is deleted when every live device's *stored* acked_seq passed it,
// and a stored acked_seq never passes the cursor. An ack lost with its worker (SIGKILL, crash)
// is repaired by the device's next poll, whose range starts at the stored acked_seq.
// Single-threaded: a worker process serves one request at a time.
class AckQueue {
 public:
  static constexpr size_t kFlushAt = kAckSlots;  // a full statement's worth goes at once
  // API.md: peer_delivered "may trail the truth by at most a second".
  static constexpr int64_t kMaxDelayMs = 200;
  static constexpr int64_t kRetryAfterFailureMs = 1000;  // MariaDB down: not one try per request
  // Sessions held while MariaDB is down; past this a new session's ack is dropped (its next
  // poll acknowledges it again). Bounded memory.
  static constexpr size_t kMaxQueued = 20000;

  AckQueue(InboxStore& inbox, const common::Clock& clock) : inbox_(inbox), clock_(clock) {}
  AckQueue(const AckQueue&) = delete;
  AckQueue& operator=(const AckQueue&) = delete;

  // Queues `ack`, merged with the session's queued one (the wider range). Writes nothing.
  // `liveAfterMs`: sessions unused since then no longer hold inbox rows back (the latest
  // value given is used for the whole batch: it moves by a few ms between two polls).
  void add(const InboxAck& ack, int64_t liveAfterMs);
  // Writes the queue when it is due (full, or its oldest entry waited kMaxDelayMs).
  void flushIfDue();
  // Milliseconds until the queue is due (0: now); -1 when it is empty.
  int64_t msUntilDue() const;
  // Writes everything queued now. False when MariaDB failed: the acks stay queued (logged).
  bool flush();
  size_t size() const { return queued_.size(); }

 private:
  InboxStore& inbox_;
  const common::Clock& clock_;
  int64_t liveAfterMs_ = 0;
  std::unordered_map<uint64_t, InboxAck> queued_;  // by session id
  int64_t dueMs_ = 0;      // steady ms at which the queue must be written
  int64_t retryAtMs_ = 0;  // after a failed write: not before this steady ms
};

}  // namespace im::fcgi
