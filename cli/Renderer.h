// SPDX-License-Identifier: MIT
// Renderer.h - how messages, conversations and read marks look on the terminal: local times,
// names instead of ids, direct and group messages told apart. Pure: names come from a lookup.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <string>

#include "cli/ChatMessage.h"

namespace im::cli {

struct RenderContext {
  uint64_t me = 0;
  int64_t nowMs = 0;                                   // decides whether a time needs its date
  std::function<std::string(uint64_t)> userName;       // uid -> "bob"
  std::function<std::string(uint64_t)> groupName;      // gid -> "ops"
};

// Local time of `unixMs`: "14:03" today, "2026-11-21 14:03" on another day.
std::string formatLocalTime(int64_t unixMs, int64_t nowMs);

// "[14:03] bob: hi" (direct, to me), "[14:03] you -> bob: hi" (direct, mine),
// "[14:03] #ops bob: hi" (group), "[14:03] #ops * alice added bob" (membership change).
std::string renderMessage(const ChatMessage& m, const RenderContext& ctx);

// "" / " ✓" (delivered) / " ✓✓" (read) for a message of mine, given the peer's markers.
std::string readMark(uint64_t msgId, uint64_t peerDelivered, uint64_t peerRead);

// One line of :c from an API.md Conversation object.
std::string renderConversation(const Poco::JSON::Object::Ptr& conversation, const RenderContext& ctx);

// One line of :g from an entry of GET /im/groups: "  #ops (7)  3 members, you are owner".
std::string renderGroup(const Poco::JSON::Object::Ptr& group);

}  // namespace im::cli
