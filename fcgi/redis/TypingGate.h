// SPDX-License-Identifier: MIT
// TypingGate.h - API.md POST /im/typing: at most one typing event per (sender, conversation)
// every 3 s is passed on. One Redis key per pair (RedisKeys::typingGate), SET NX PX: the request
// that creates it passes, every other one while it lives is dropped. Shared by every worker and host.
#pragma once

#include <cstdint>

#include "common/Event.h"
#include "common/RedisClient.h"

namespace im::fcgi {

class TypingGate {
 public:
  static constexpr int64_t kIntervalMs = 3000;

  explicit TypingGate(common::RedisClient& redis) : redis_(redis) {}
  TypingGate(const TypingGate&) = delete;
  TypingGate& operator=(const TypingGate&) = delete;

  // True when `sender`'s typing in `c` (as the sender names it) is to be passed on now.
  // Redis down: false (logged): with Redis down no event could reach pushd anyway.
  bool pass(uint64_t sender, common::Conversation c) noexcept;

 private:
  common::RedisClient& redis_;
};

}  // namespace im::fcgi
