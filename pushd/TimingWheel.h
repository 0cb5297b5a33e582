// SPDX-License-Identifier: MIT
// TimingWheel.h - O(1) add/cancel timers in hashed slots; it says when its earliest timer is due,
// and the loop sleeps until then. It stores payloads (poll ids), never owners: a timer that
// fires for a poll already answered finds nothing to do (STYLE guideline 8).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/Clock.h"
#include "pushd/net/NextDue.h"

namespace im::pushd {

// Not thread safe: owned by PushdApp and used on the loop thread only (by PollRegistry).
class TimingWheel {
 public:
  using TimerId = uint64_t;  // 0 is "no timer"
  static constexpr TimerId kNoTimer = 0;

  // `tickMs` is the resolution; timers due within one revolution (tickMs * slots) cost no
  // rescans, longer ones are checked once per revolution.
  TimingWheel(const common::Clock& clock, int tickMs, size_t slots);
  TimingWheel(const TimingWheel&) = delete;
  TimingWheel& operator=(const TimingWheel&) = delete;

  // Schedules `payload` to be due `delayMs` from now: never before, at most one tick after.
  TimerId add(int64_t delayMs, uint64_t payload);
  // False when `id` already fired or was cancelled.
  bool cancel(TimerId id);
  // Advances to the clock's now and appends the payload of every timer due to `due`. Nothing
  // needs it between two timers: the wheel catches up on however many ticks passed.
  void advance(std::vector<uint64_t>& due);
  // The clock time from which advance() returns the earliest pending timer (exact, whatever
  // revolution it is in), nullopt when none is pending. Cached: it rescans the slots only after
  // that timer fired or was cancelled, and a scan stops at the first due slot.
  net::NextDue nextDueMs() const;
  // The first tick boundary at or after `ms` (clock time): other expiries rounded up to it share
  // the loop's wake-ups with the timers.
  int64_t tickAtOrAfter(int64_t ms) const;

  size_t size() const { return size_; }
  int tickMs() const { return static_cast<int>(tickMs_); }

 private:
  static constexpr uint32_t kNil = 0xFFFFFFFFu;
  struct Entry {
    uint64_t payload = 0;
    int64_t tick = 0;  // due once the wheel has processed this tick
    uint32_t prev = kNil;
    uint32_t next = kNil;
    uint32_t generation = 1;  // bumped on release, so stale TimerIds miss
    bool used = false;
  };

  int64_t tickNow() const;
  int64_t scanEarliestTick() const;
  uint32_t allocate();
  void release(uint32_t index);
  void link(uint32_t index);
  void unlink(uint32_t index);
  void expireSlot(size_t slot, int64_t upToTick, std::vector<uint64_t>& due);

  const common::Clock& clock_;
  const int64_t tickMs_;
  const int64_t originMs_;
  int64_t processed_ = 0;  // the last tick whose slot was expired
  std::vector<uint32_t> heads_;
  std::vector<Entry> entries_;
  uint32_t free_ = kNil;
  size_t size_ = 0;
  // The earliest pending tick while !earliestStale_ (nullopt: no timer); rescanned on demand.
  mutable net::NextDue earliestTick_;
  mutable bool earliestStale_ = false;
};

}  // namespace im::pushd
