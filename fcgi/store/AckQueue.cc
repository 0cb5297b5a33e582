// SPDX-License-Identifier: MIT
// AckQueue.cc - merging acknowledgements per session and writing them as one batch.
#include "fcgi/store/AckQueue.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/ApiError.h"
#include "common/Log.h"

namespace im::fcgi {

void AckQueue::add(const InboxAck& ack, int64_t liveAfterMs) {
  liveAfterMs_ = liveAfterMs;
  const auto it = queued_.find(ack.sessionId);
  if (it != queued_.end()) {
    it->second.afterSeq = std::min(it->second.afterSeq, ack.afterSeq);
    it->second.since = std::max(it->second.since, ack.since);
    return;
  }
  if (queued_.size() >= kMaxQueued) return;  // MariaDB has been down a while: see kMaxQueued
  if (queued_.empty()) dueMs_ = clock_.steadyMs() + kMaxDelayMs;
  queued_.emplace(ack.sessionId, ack);
}

int64_t AckQueue::msUntilDue() const {
  if (queued_.empty()) return -1;
  const int64_t now = clock_.steadyMs();
  if (now < retryAtMs_) return retryAtMs_ - now;
  if (queued_.size() >= kFlushAt) return 0;
  return std::max<int64_t>(0, dueMs_ - now);
}

void AckQueue::flushIfDue() {
  if (msUntilDue() == 0) flush();
}

bool AckQueue::flush() {
  if (queued_.empty()) return true;
  std::vector<InboxAck> batch;
  batch.reserve(queued_.size());
  for (const auto& entry : queued_) batch.push_back(entry.second);
  // Sessions in id order: two workers' batches lock the sessions rows in one order.
  std::sort(batch.begin(), batch.end(), [](const InboxAck& a, const InboxAck& b) { return a.sessionId < b.sessionId; });
  try {
    inbox_.acknowledge(batch, liveAfterMs_);
  } catch (const common::ApiError& e) {
    IM_WARN("inbox", std::to_string(batch.size()) + " acknowledgements kept for a later try: " + e.what());
    retryAtMs_ = clock_.steadyMs() + kRetryAfterFailureMs;
    return false;
  }
  queued_.clear();
  return true;
}

}  // namespace im::fcgi
