// SPDX-License-Identifier: MIT
// SearchHandler.cc - messages of the caller's conversations whose body contains q, newest first.
#include "common/ApiError.h"
#include "common/SearchProtocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/search?q=<text>&with=<uid>|group=<gid>&before=<msg_id>&limit=<n> -> 200 {"messages", "more"}
// A named conversation follows history's rules: 404 for an unknown user or group, 403 for a
// group the caller is not a member of.
Response handleSearch(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto p = common::parseSearchParams(request.query());
  HistoryPage page;
  if (p.group != 0) {
    services.groups.requireMember(p.group, session.userId);
    page = services.search.group(p.group, p.q, p.before, p.limit);
  } else if (p.with != 0) {
    if (!services.users.exists(p.with)) throw common::ApiError(common::ErrorCode::NotFound, "No such user.");
    page = services.search.direct(session.userId, p.with, p.q, p.before, p.limit);
  } else {
    page = services.search.everywhere(session.userId, p.q, p.before, p.limit);
  }
  common::JsonWriter w;
  w.beginObject().key("messages").beginArray();
  for (const auto& m : page.messages) common::renderMessage(w, m);
  w.endArray().key("more").boolean(page.more).endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
