// SPDX-License-Identifier: MIT
// EarlyNotifications.cc - per-uid seq maps plus one arrival queue for expiry in O(expired).
#include "pushd/EarlyNotifications.h"

#include <algorithm>

namespace im::pushd {

EarlyNotifications::EarlyNotifications(int64_t windowMs, size_t perUidCap, size_t totalCap)
    : windowMs_(windowMs), perUidCap_(std::max<size_t>(perUidCap, 1)), totalCap_(std::max<size_t>(totalCap, 1)) {}

void EarlyNotifications::add(uint64_t uid, uint64_t seq, const MessageText& message, int64_t nowMs) {
  SeqBuffer& seqs = byUid_[uid];
  const int64_t expiresMs = nowMs + windowMs_;
  if (!seqs.emplace(seq, BufferedMessage{message, expiresMs}).second) return;
  ++size_;
  arrivals_.push_back(Arrival{expiresMs, uid, seq});
  if (seqs.size() > perUidCap_) {
    // The lowest seq is the one most likely delivered already. Its arrival stays queued and
    // is skipped when it reaches the front.
    seqs.erase(seqs.begin());
    --size_;
  }
  // Stale arrivals (from per-uid evictions) also count here, so the queue stays bounded too.
  while (size_ > totalCap_ || arrivals_.size() > 2 * totalCap_) popOldest();
}

const SeqBuffer* EarlyNotifications::find(uint64_t uid) const {
  const auto it = byUid_.find(uid);
  return it == byUid_.end() ? nullptr : &it->second;
}

void EarlyNotifications::expire(int64_t nowMs) {
  while (!arrivals_.empty() && arrivals_.front().expiresMs <= nowMs) popOldest();
}

net::NextDue EarlyNotifications::nextExpiryMs() const {
  if (arrivals_.empty()) return std::nullopt;
  return arrivals_.front().expiresMs;
}

void EarlyNotifications::popOldest() {
  const Arrival a = arrivals_.front();
  arrivals_.pop_front();
  erase(a.uid, a.seq, a.expiresMs);
}

void EarlyNotifications::erase(uint64_t uid, uint64_t seq, int64_t expiresMs) {
  const auto u = byUid_.find(uid);
  if (u == byUid_.end()) return;
  const auto s = u->second.find(seq);
  // A different expiry means this arrival was evicted and the seq notified again since.
  if (s == u->second.end() || s->second.expiresMs != expiresMs) return;
  u->second.erase(s);
  --size_;
  if (u->second.empty()) byUid_.erase(u);
}

}  // namespace im::pushd
