// SPDX-License-Identifier: MIT
// EarlyNotifications.h - every notified (uid, seq, message) kept for a short window, so that a
// poll arriving after its notification (invariant 3) and a poll waiting out a gap (invariant 4)
// find it. Bounded per uid and in total (invariant 6).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "pushd/BufferedMessage.h"
#include "pushd/net/NextDue.h"

namespace im::pushd {

// Not thread safe: owned by PushdApp, used on the loop thread by PollRegistry.
class EarlyNotifications {
 public:
  static constexpr size_t kDefaultPerUidCap = 1000;
  static constexpr size_t kDefaultTotalCap = 500000;

  EarlyNotifications(int64_t windowMs, size_t perUidCap = kDefaultPerUidCap, size_t totalCap = kDefaultTotalCap);
  EarlyNotifications(const EarlyNotifications&) = delete;
  EarlyNotifications& operator=(const EarlyNotifications&) = delete;

  // Keeps (uid, seq) until nowMs + window. A duplicate of a kept seq changes nothing.
  // Over a cap the oldest entries go first: a poll that then misses one falls back to the
  // gap wait and the MySQL catch-up, so a cap costs latency, never correctness.
  void add(uint64_t uid, uint64_t seq, const MessageText& message, int64_t nowMs);
  // The uid's entries, or null when it has none. Valid until the next add/expire.
  const SeqBuffer* find(uint64_t uid) const;
  // Drops every entry whose window ended at or before nowMs.
  void expire(int64_t nowMs);
  // When expire() next has something to drop (it may be an entry a cap evicted already: an
  // early answer, never a late one); nullopt when nothing is kept.
  net::NextDue nextExpiryMs() const;

  size_t size() const { return size_; }
  size_t uids() const { return byUid_.size(); }

 private:
  struct Arrival {
    int64_t expiresMs;
    uint64_t uid;
    uint64_t seq;
  };

  void erase(uint64_t uid, uint64_t seq, int64_t expiresMs);
  void popOldest();

  const int64_t windowMs_;
  const size_t perUidCap_;
  const size_t totalCap_;
  std::unordered_map<uint64_t, SeqBuffer> byUid_;
  std::deque<Arrival> arrivals_;  // in arrival order, hence in expiry order
  size_t size_ = 0;
};

}  // namespace im::pushd
