// SPDX-License-Identifier: MIT
// HistoryHandler.cc - a conversation's messages, newest first, from the history table.
#include "common/ApiError.h"
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/history?with=<uid>|group=<gid>&before=<msg_id>&limit=<n> -> 200 {"messages", "more"}
Response handleHistory(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto p = common::parseHistoryParams(request.query());
  HistoryPage page;
  if (p.group != 0) {
    services.groups.requireMember(p.group, session.userId);
    page = services.history.group(p.group, p.before, p.limit);
  } else {
    if (!services.users.exists(p.with)) throw common::ApiError(common::ErrorCode::NotFound, "No such user.");
    page = services.history.direct(session.userId, p.with, p.before, p.limit);
  }
  common::JsonWriter w;
  w.beginObject().key("messages").beginArray();
  for (const auto& m : page.messages) common::renderMessage(w, m);
  w.endArray().key("more").boolean(page.more).endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
