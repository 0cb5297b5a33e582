// SPDX-License-Identifier: MIT
// SeqHint.h - each mailbox's last seq in Redis (a sorted set: the Redis server's run_id scored
// by the seq), written by every send before its commit, so a
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

  // Inside the send's transaction, after its seqs are allocated and before COMMIT. A hint only
  // rises (ZADD GT): a transaction that allocated a seq another one committed first (Galera
  // certification, then retried) cannot lower it. When the write fails the keys are deleted on
  // a new connection (a poll then reads MySQL); the send goes on either way (Redis down must
  // not stop sends).
  void raise(const std::vector<common::Recipient>& recipients) noexcept;
  // The command that reads the hint of `uid` (appended to a pipeline; the score of this Redis
  // life's run_id) and what its reply says: the seq, or nullopt when absent or malformed.
  // (A score is a double: exact for seqs below 2^53, which no mailbox reaches.)
  std::vector<std::string> readCommand(uint64_t uid);
  std::optional<uint64_t> parse(const common::RedisReply& reply);

 private:
  common::RedisClient& redis_;
};

}  // namespace im::fcgi
