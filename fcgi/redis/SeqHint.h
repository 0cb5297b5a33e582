// SPDX-License-Identifier: MIT
// SeqHint.h - each mailbox's last seq in Redis, written by every send before its commit, so a
// re-poll with since = that seq goes to pushd without MySQL (docs/internals.md "Re-poll hint").
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/Notification.h"
#include "common/RedisClient.h"

namespace im::fcgi {

class SeqHint {
 public:
  // A user who got nothing for an hour pays the MySQL read on the next poll.
  static constexpr int64_t kTtlMs = 3600 * 1000;

  explicit SeqHint(common::RedisClient& redis) : redis_(redis) {}
  SeqHint(const SeqHint&) = delete;
  SeqHint& operator=(const SeqHint&) = delete;

  // Inside the send's transaction, after its seqs are allocated and before COMMIT: the counter
  // rows stay locked until then, so these writes reach Redis in seq order per user. When the
  // write fails the keys are deleted on a new connection (a poll then reads MySQL); the send
  // goes on either way (Redis down must not stop sends).
  void raise(const std::vector<common::Recipient>& recipients) noexcept;
  // Commands that read the hint of `uid` (appended to a pipeline) and what their reply says:
  // the seq, or nullopt when absent, malformed or written by another Redis life (run_id).
  std::vector<std::string> readCommand(uint64_t uid) const;
  std::optional<uint64_t> parse(const common::RedisReply& reply);
  // One GET: the hint of `uid` (nullopt also when Redis is down).
  std::optional<uint64_t> read(uint64_t uid) noexcept;

 private:
  common::RedisClient& redis_;
};

}  // namespace im::fcgi
