// SPDX-License-Identifier: MIT
// InboxAck.h - one device's acknowledgement: what a poll's `since` says it has seen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace im::fcgi {

// Session `sessionId` of `uid` has seen every inbox entry <= `since`; the entries in
// (afterSeq, since] are the ones this acknowledgement newly covers (afterSeq: the session's
// acked_seq as authentication read it). Cumulative: a later one for the session covers a lost
// earlier one, and applying one twice changes nothing.
struct InboxAck {
  // afterSeq of a poll that read no session row (token cache and re-poll hint): the batch takes
  // the session's stored acked_seq. The largest value, so merging (minimum) keeps a known one.
  static constexpr uint64_t kAfterStored = UINT64_MAX;

  uint64_t sessionId = 0;
  uint64_t uid = 0;
  uint64_t afterSeq = 0;
  uint64_t since = 0;
};

// The acks one batched statement takes. Its text has this many slots whatever the batch's size
// (one prepared statement per worker, not one per size); a smaller batch fills the spare slots
// with its last ack again, which changes nothing (the statements take maxima).
inline constexpr size_t kAckSlots = 32;

// The ack bound to slot `i` of a batch of 1..kAckSlots acks.
inline const InboxAck& ackInSlot(const std::vector<InboxAck>& batch, size_t i) {
  return batch[i < batch.size() ? i : batch.size() - 1];
}

// `part` kAckSlots times, separated by `separator`: the repeated part of a batched statement.
inline std::string forEachAckSlot(const std::string& part, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < kAckSlots; ++i) out += (i == 0 ? "" : separator) + part;
  return out;
}

}  // namespace im::fcgi
