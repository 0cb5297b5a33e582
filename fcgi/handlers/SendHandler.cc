// SPDX-License-Identifier: MIT
// SendHandler.cc - the typical handler: authenticate, validate, one transaction, notify, answer.
#include "fcgi/handlers/SendHandler.h"

#include "common/Time.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Announce.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

common::Message admitSend(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  services.rateLimiter.checkSend(session.userId);
  auto req = common::parseSendRequest(request.body());
  return common::Message{.from = session.userId, .fromName = session.username, .to = req.to, .group = req.group,
                         .body = std::move(req.body), .clientMsgId = std::move(req.clientMsgId),
                         .createdAtMs = services.clock.wallMs()};
}

// A duplicate notifies again too: the first send's worker may have died before it notified.
void announceSent(const std::vector<SendOutcome>& outcomes, Services& services) {
  std::vector<SendResult> stored;
  for (const SendOutcome& o : outcomes) {
    if (o.result) stored.push_back(*o.result);
  }
  announce(services, stored);
}

Response answerSent(const SendResult& sent) {
  common::JsonWriter w;
  w.beginObject().key("msg_id").number(sent.message.msgId);
  w.key("created_at").string(common::formatRfc3339(sent.message.createdAtMs));
  w.key("duplicate").boolean(sent.duplicate).endObject();
  return Response::json(200, w.take());
}

// POST /im/send {"to"|"group", "body", "client_msg_id"?} -> 200 {"msg_id", "created_at", "duplicate"}
// WorkerLoop runs the same halves around MessageStore::sendBatch when sends are queued.
Response handleSend(const Request& request, Services& services) {
  const SendResult sent = services.messages.send(admitSend(request, services));  // durable before we answer
  announce(services, {sent});
  return answerSent(sent);
}

}  // namespace im::fcgi
