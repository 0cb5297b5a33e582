// SPDX-License-Identifier: MIT
// SearchHandler.cc - messages of the caller's conversations whose body contains q, newest first.
#include "common/SearchProtocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/ConversationPage.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/search?q=<text>&with=<uid>|group=<gid>&before=<msg_id>&limit=<n> -> 200 {"messages", "more"}
// A named conversation follows history's rules: 404 for an unknown user or group, 403 for a
// group the caller is not a member of.
Response handleSearch(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto p = common::parseSearchParams(request.query());
  SearchStore& search = services.reads.forUser(session.userId).search;  // a replica when it is safe
  if (p.group == 0 && p.with == 0) return renderPage(search.everywhere(session.userId, p.q, p.before, p.limit));
  requireReadable(services, session.userId, p.with, p.group);
  return renderPage(p.group != 0 ? search.group(p.group, p.q, p.before, p.limit)
                                 : search.direct(session.userId, p.with, p.q, p.before, p.limit));
}

}  // namespace im::fcgi
