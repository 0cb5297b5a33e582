// SPDX-License-Identifier: MIT
// TimingWheel.cc - slots of intrusive doubly linked lists over one entry pool with a free list.
#include "pushd/TimingWheel.h"

#include <algorithm>
#include <climits>

namespace im::pushd {

TimingWheel::TimingWheel(const common::Clock& clock, int tickMs, size_t slots)
    : clock_(clock),
      tickMs_(std::max(tickMs, 1)),
      originMs_(clock.steadyMs()),
      heads_(std::max<size_t>(slots, 1), kNil) {}

int64_t TimingWheel::tickNow() const { return (clock_.steadyMs() - originMs_) / tickMs_; }

TimingWheel::TimerId TimingWheel::add(int64_t delayMs, uint64_t payload) {
  const int64_t dueMs = clock_.steadyMs() - originMs_ + std::max<int64_t>(delayMs, 0);
  const int64_t dueTick = (dueMs + tickMs_ - 1) / tickMs_;  // round up: never early
  const uint32_t index = allocate();
  Entry& e = entries_[index];
  e.payload = payload;
  e.tick = std::max(dueTick, processed_ + 1);
  link(index);
  ++size_;
  if (size_ == 1) {
    earliestTick_ = e.tick;  // the only timer: no scan needed
    earliestStale_ = false;
  } else if (!earliestStale_) {
    earliestTick_ = net::earliest(earliestTick_, e.tick);
  }
  return (static_cast<uint64_t>(e.generation) << 32) | (index + 1u);
}

bool TimingWheel::cancel(TimerId id) {
  const uint64_t low = id & 0xFFFFFFFFu;
  if (low == 0 || low > entries_.size()) return false;
  const auto index = static_cast<uint32_t>(low - 1);
  Entry& e = entries_[index];
  if (!e.used || e.generation != static_cast<uint32_t>(id >> 32)) return false;
  if (earliestTick_ == e.tick) earliestStale_ = true;
  unlink(index);
  release(index);
  --size_;
  return true;
}

void TimingWheel::advance(std::vector<uint64_t>& due) {
  const int64_t target = tickNow();
  if (target <= processed_) return;
  const auto slots = static_cast<int64_t>(heads_.size());
  if (target - processed_ >= slots) {
    // Stalled for a whole revolution or more: one pass over every slot finds everything due.
    for (size_t s = 0; s < heads_.size(); ++s) expireSlot(s, target, due);
  } else {
    for (int64_t t = processed_ + 1; t <= target; ++t) expireSlot(static_cast<size_t>(t % slots), target, due);
  }
  processed_ = target;
  if (earliestTick_ && *earliestTick_ <= processed_) earliestStale_ = true;
}

net::NextDue TimingWheel::nextDueMs() const {
  if (size_ == 0) return std::nullopt;
  if (earliestStale_) {
    earliestTick_ = scanEarliestTick();
    earliestStale_ = false;
  }
  return originMs_ + *earliestTick_ * tickMs_;
}

// Every pending timer is due after processed_ (add() and advance() keep it so). Walking the
// ticks from there, the first entry found in its own tick is the earliest; an entry met in its
// slot a revolution early is only a candidate, and when a whole revolution finds no entry in its
// own tick, every entry was met: the smallest candidate is the answer.
int64_t TimingWheel::scanEarliestTick() const {
  const auto slots = static_cast<int64_t>(heads_.size());
  int64_t candidate = INT64_MAX;
  for (int64_t t = processed_ + 1; t <= processed_ + slots; ++t) {
    for (uint32_t index = heads_[static_cast<size_t>(t % slots)]; index != kNil; index = entries_[index].next) {
      if (entries_[index].tick == t) return t;
      candidate = std::min(candidate, entries_[index].tick);
    }
  }
  return candidate;
}

int64_t TimingWheel::tickAtOrAfter(int64_t ms) const {
  const int64_t sinceOrigin = std::max<int64_t>(ms - originMs_, 0);
  return originMs_ + (sinceOrigin + tickMs_ - 1) / tickMs_ * tickMs_;
}

void TimingWheel::expireSlot(size_t slot, int64_t upToTick, std::vector<uint64_t>& due) {
  uint32_t index = heads_[slot];
  while (index != kNil) {
    const uint32_t next = entries_[index].next;
    if (entries_[index].tick <= upToTick) {
      due.push_back(entries_[index].payload);
      unlink(index);
      release(index);
      --size_;
    }
    index = next;
  }
}

uint32_t TimingWheel::allocate() {
  if (free_ == kNil) {
    entries_.emplace_back();
    free_ = static_cast<uint32_t>(entries_.size() - 1);
  }
  const uint32_t index = free_;
  free_ = entries_[index].next;
  entries_[index].used = true;
  entries_[index].prev = entries_[index].next = kNil;
  return index;
}

void TimingWheel::release(uint32_t index) {
  Entry& e = entries_[index];
  e.used = false;
  ++e.generation;
  e.next = free_;
  free_ = index;
}

void TimingWheel::link(uint32_t index) {
  Entry& e = entries_[index];
  const auto slot = static_cast<size_t>(e.tick % static_cast<int64_t>(heads_.size()));
  e.prev = kNil;
  e.next = heads_[slot];
  if (e.next != kNil) entries_[e.next].prev = index;
  heads_[slot] = index;
}

void TimingWheel::unlink(uint32_t index) {
  Entry& e = entries_[index];
  if (e.prev != kNil) {
    entries_[e.prev].next = e.next;
  } else {
    heads_[static_cast<size_t>(e.tick % static_cast<int64_t>(heads_.size()))] = e.next;
  }
  if (e.next != kNil) entries_[e.next].prev = e.prev;
  e.prev = e.next = kNil;
}

}  // namespace im::pushd
