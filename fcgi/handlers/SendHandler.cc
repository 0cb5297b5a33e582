// SPDX-License-Identifier: MIT
// SendHandler.cc - the typical handler: authenticate, validate, one transaction, notify, answer.
#include "common/Protocol.h"
#include "common/Time.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/send {"to"|"group", "body", "client_msg_id"?} -> 200 {"msg_id", "created_at", "duplicate"}
Response handleSend(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  services.rateLimiter.checkSend(session.userId);
  auto req = common::parseSendRequest(request.body());
  const common::Message m{.from = session.userId, .fromName = session.username, .to = req.to,
                          .group = req.group, .body = std::move(req.body),
                          .clientMsgId = std::move(req.clientMsgId), .createdAtMs = services.clock.wallMs()};
  const SendResult sent = services.messages.send(m);  // committed: durable before we answer
  // A duplicate notifies again too: the first send's worker may have died before it notified.
  services.notifier.notify(common::renderMessage(sent.message), sent.recipients);
  common::JsonWriter w;
  w.beginObject().key("msg_id").number(sent.message.msgId);
  w.key("created_at").string(common::formatRfc3339(sent.message.createdAtMs));
  w.key("duplicate").boolean(sent.duplicate).endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
