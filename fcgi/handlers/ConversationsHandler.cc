// SPDX-License-Identifier: MIT
// ConversationsHandler.cc - the caller's conversations with unread counts and receipts.
#include "common/ConversationProtocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/conversations?limit=<n> -> 200 {"conversations": [Conversation...]}, most recent first.
Response handleConversations(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const int limit = common::parseConversationsLimit(request.query());
  const auto conversations = services.conversations.list(session.userId, limit);
  common::JsonWriter w;
  w.beginObject().key("conversations").beginArray();
  for (const auto& c : conversations) common::renderConversation(w, c);
  w.endArray().endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
