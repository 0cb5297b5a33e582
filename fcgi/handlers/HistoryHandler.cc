// SPDX-License-Identifier: MIT
// HistoryHandler.cc - a conversation's messages, newest first, from the history table.
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/ConversationPage.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/history?with=<uid>|group=<gid>&before=<msg_id>&limit=<n> -> 200 {"messages", "more"}
Response handleHistory(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto p = common::parseHistoryParams(request.query());
  requireReadable(services, session.userId, p.with, p.group);
  HistoryStore& history = services.reads.forUser(session.userId).history;  // a replica when it is safe
  return renderPage(p.group != 0 ? history.group(p.group, p.before, p.limit)
                                 : history.direct(session.userId, p.with, p.before, p.limit));
}

}  // namespace im::fcgi
