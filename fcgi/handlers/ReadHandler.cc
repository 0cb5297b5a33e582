// SPDX-License-Identifier: MIT
// ReadHandler.cc - moves the caller's read marker in a conversation (forward only).
#include "common/ApiError.h"
#include "common/ConversationProtocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/read {"with"|"group", "msg_id"} -> 204. Unknown user or group, or a msg_id of
// another conversation: 404; a group the caller is not a member of: 403 (as history).
Response handleRead(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto req = common::parseReadRequest(request.body());
  if (req.conversation.group != 0) {
    services.groups.requireMember(req.conversation.group, session.userId);
  } else if (!services.users.exists(req.conversation.with)) {
    throw common::ApiError(common::ErrorCode::NotFound, "No such user.");
  }
  // true when the marker moved: that is when the `read` event goes out (API.md Events).
  services.conversations.markRead(session.userId, req.conversation, req.msgId);
  return Response::empty(204);
}

}  // namespace im::fcgi
