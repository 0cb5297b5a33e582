// SPDX-License-Identifier: MIT
// PendingEvents.h - events for a uid that had no held poll when they arrived (its device was
// between two polls: answered, not yet back), kept for a short window and handed to the next
// poll of that uid, which takes them. Best effort (API.md "Events"): bounded per uid and in
// total, and a uid with several devices gets them on the first one that polls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "pushd/BufferedMessage.h"
#include "pushd/net/NextDue.h"

namespace im::pushd {

// Not thread safe: owned by PollRegistry, on the loop thread.
class PendingEvents {
 public:
  // Long enough for a re-poll to travel nginx -> fcgi -> pushd, short enough that a typing
  // event is still news when it arrives.
  static constexpr int64_t kDefaultWindowMs = 2000;
  static constexpr size_t kPerUidCap = 16;
  static constexpr size_t kTotalCap = 100000;

  explicit PendingEvents(int64_t windowMs = kDefaultWindowMs);
  PendingEvents(const PendingEvents&) = delete;
  PendingEvents& operator=(const PendingEvents&) = delete;

  // Keeps `event` for `uid` until nowMs + window; over a cap the new event is dropped.
  void add(uint64_t uid, const EventText& event, int64_t nowMs);
  // Moves the uid's kept events, oldest first, to the end of `out`.
  void take(uint64_t uid, EventList& out);
  // Drops every event whose window ended at or before nowMs.
  void expire(int64_t nowMs);
  // When expire() next has something to look at (maybe an event taken already); nullopt when
  // nothing is queued.
  net::NextDue nextExpiryMs() const;

  size_t size() const { return size_; }

 private:
  struct Kept {
    int64_t expiresMs;
    EventText event;
  };
  struct Arrival {
    int64_t expiresMs;
    uint64_t uid;
  };

  const int64_t windowMs_;
  std::unordered_map<uint64_t, std::deque<Kept>> byUid_;
  std::deque<Arrival> arrivals_;  // in arrival order, hence expiry order; some already taken
  size_t size_ = 0;
};

}  // namespace im::pushd
