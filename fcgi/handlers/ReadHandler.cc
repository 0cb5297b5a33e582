// SPDX-License-Identifier: MIT
// ReadHandler.cc - moves the caller's read marker in a conversation (forward only) and tells the
// other participants' and the caller's polling devices with a `read` event.
#include "common/ApiError.h"
#include "common/ConversationProtocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/read {"with"|"group", "msg_id"} -> 204. Unknown user or group, or a msg_id of
// another conversation: 404; a group the caller is not a member of: 403 (as history). A read
// that moves nothing (msg_id at or below the marker) sends no event.
Response handleRead(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto req = common::parseReadRequest(request.body());
  const common::Conversation& c = req.conversation;
  std::vector<uint64_t> members;
  if (c.group != 0) {
    members = services.groups.memberIds(c.group, session.userId);  // 404 / 403
  } else if (!services.users.exists(c.with)) {
    throw common::ApiError(common::ErrorCode::NotFound, "No such user.");
  }
  if (services.conversations.markRead(session.userId, c, req.msgId)) {  // stored: now tell
    services.notifier.notifyRead(session.userId, c, req.msgId, members);
  }
  return Response::empty(204);
}

}  // namespace im::fcgi
