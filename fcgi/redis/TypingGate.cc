// SPDX-License-Identifier: MIT
// TypingGate.cc - one SET NX PX per typing request.
#include "fcgi/redis/TypingGate.h"

#include <string>

#include "common/Log.h"
#include "common/RedisKeys.h"

namespace im::fcgi {

bool TypingGate::pass(uint64_t sender, common::Conversation c) noexcept {
  try {
    const std::string conversation = c.group != 0 ? "g" + std::to_string(c.group) : "u" + std::to_string(c.with);
    const auto reply = redis_.command({"SET", common::RedisKeys::typingGate(sender, conversation), "1", "NX", "PX",
                                       std::to_string(kIntervalMs)});
    if (reply.isError()) {
      IM_WARN("typing", "SET NX failed: " + std::string(reply.str()));
      return false;
    }
    return !reply.isNil();  // OK: the key is new; nil: a typing event passed less than 3 s ago
  } catch (const std::exception& e) {
    IM_WARN("typing", std::string("typing event dropped: ") + e.what());
    return false;
  }
}

}  // namespace im::fcgi
