// SPDX-License-Identifier: MIT
// ConversationProtocol.h - API.md "GET /im/conversations" and "POST /im/read": the list's
// parameters, the read request, and the Conversation object. Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/Event.h"
#include "common/Json.h"
#include "common/Protocol.h"

namespace im::common {

inline constexpr int kDefaultConversationsLimit = 50, kMaxConversationsLimit = 200;

// The conversation is common::Conversation (common/Event.h): as its user names it, exactly
// one of `with` (the other user) and `group` non-zero.
struct ReadRequest {
  Conversation conversation;
  uint64_t msgId = 0;
};

// {"with": 2, "msg_id": 42} or {"group": 7, "msg_id": 42}; BadRequest otherwise.
ReadRequest parseReadRequest(std::string_view json);
// ?limit= (default 50, 1-200).
int parseConversationsLimit(const QueryParams& query);

// One entry of the list.
struct ConversationSummary {
  Conversation ref;
  std::string name;      // the other user's username, or the group's name
  Message last;          // the newest message
  uint64_t unread = 0;   // messages from others with msg_id > read
  uint64_t read = 0;     // the caller's read marker, 0 when none
  uint64_t peerRead = 0;       // direct only: the other user's read marker
  uint64_t peerDelivered = 0;  // direct only: the highest msg_id one of the other user's devices fetched
};

// {"with"|"group", "name", "last": Message without seq, "unread", "read"[, "peer_read", "peer_delivered"]}
void renderConversation(JsonWriter& w, const ConversationSummary& c);

}  // namespace im::common
