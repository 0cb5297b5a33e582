// SPDX-License-Identifier: MIT
// PendingEvents.cc - per-uid queues plus one arrival queue for expiry in O(expired).
#include "pushd/PendingEvents.h"

namespace im::pushd {

PendingEvents::PendingEvents(int64_t windowMs) : windowMs_(windowMs) {}

void PendingEvents::add(uint64_t uid, const EventText& event, int64_t nowMs) {
  // Taken events leave their arrivals queued until they expire: those count against the cap too.
  if (size_ >= kTotalCap || arrivals_.size() >= 2 * kTotalCap) return;
  auto& kept = byUid_[uid];
  if (kept.size() >= kPerUidCap) return;
  const int64_t expiresMs = nowMs + windowMs_;
  kept.push_back(Kept{expiresMs, event});
  arrivals_.push_back(Arrival{expiresMs, uid});
  ++size_;
}

void PendingEvents::take(uint64_t uid, EventList& out) {
  const auto it = byUid_.find(uid);
  if (it == byUid_.end()) return;
  for (auto& k : it->second) out.push_back(std::move(k.event));
  size_ -= it->second.size();
  byUid_.erase(it);
}

void PendingEvents::expire(int64_t nowMs) {
  while (!arrivals_.empty() && arrivals_.front().expiresMs <= nowMs) {
    const uint64_t uid = arrivals_.front().uid;
    arrivals_.pop_front();
    const auto it = byUid_.find(uid);
    if (it == byUid_.end()) continue;  // taken already
    auto& kept = it->second;
    while (!kept.empty() && kept.front().expiresMs <= nowMs) {
      kept.pop_front();
      --size_;
    }
    if (kept.empty()) byUid_.erase(it);
  }
}

net::NextDue PendingEvents::nextExpiryMs() const {
  if (arrivals_.empty()) return std::nullopt;
  return arrivals_.front().expiresMs;
}

}  // namespace im::pushd
