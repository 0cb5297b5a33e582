// SPDX-License-Identifier: MIT
// ConversationProtocol.cc - parsing of the read request and rendering of a Conversation.
#include "common/ConversationProtocol.h"

#include "common/ApiError.h"
#include "common/JsonFields.h"

namespace im::common {

ReadRequest parseReadRequest(std::string_view json) {
  const auto o = parseBody(json);
  const auto with = optId(*o, "with");
  const auto group = optId(*o, "group");
  if (with.has_value() == group.has_value()) {
    throw ApiError(ErrorCode::BadRequest, "Exactly one of 'with' and 'group' is required.");
  }
  const auto msgId = optId(*o, "msg_id");
  if (!msgId) throw ApiError(ErrorCode::BadRequest, "Field 'msg_id' is required.");
  return ReadRequest{Conversation{.with = with.value_or(0), .group = group.value_or(0)}, *msgId};
}

int parseConversationsLimit(const QueryParams& query) {
  return intParam(query, "limit", kDefaultConversationsLimit, 1, kMaxConversationsLimit);
}

void renderConversation(JsonWriter& w, const ConversationSummary& c) {
  w.beginObject();
  if (c.ref.group != 0) w.key("group").number(c.ref.group);
  else w.key("with").number(c.ref.with);
  w.key("name").string(c.name);
  w.key("last");
  renderMessage(w, c.last);
  w.key("unread").number(c.unread).key("read").number(c.read);
  if (c.ref.group == 0) w.key("peer_read").number(c.peerRead).key("peer_delivered").number(c.peerDelivered);
  w.endObject();
}

}  // namespace im::common
