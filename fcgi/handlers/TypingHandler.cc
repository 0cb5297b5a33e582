// SPDX-License-Identifier: MIT
// TypingHandler.cc - a typing event for the other participants' polling devices; nothing stored.
#include "common/ApiError.h"
#include "common/Event.h"
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/typing {"to"|"group"} -> 204. The conversation is checked first (404 / 403) and
// the rate gate last, so a dropped event (more than one per 3 s) still answers what a passed
// one would.
Response handleTyping(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto req = common::parseTypingRequest(request.body());
  const common::Conversation c{.with = req.to, .group = req.group};
  std::vector<uint64_t> members;
  if (c.group != 0) {
    members = services.groups.memberIds(c.group, session.userId);
  } else if (!services.users.exists(c.with)) {
    throw common::ApiError(common::ErrorCode::NotFound, "No such user.");
  }
  const auto deliveries = common::typingDeliveries(session.userId, c, members);
  if (!deliveries.empty() && services.typingGate.pass(session.userId, c)) services.notifier.notifyEvents(deliveries);
  return Response::empty(204);
}

}  // namespace im::fcgi
