// SPDX-License-Identifier: MIT
// LoginHandler.cc - opens a device session and hands out its bearer token.
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Crypto.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/login {"username", "password", "device"?} -> 200 {"token", "user_id", "username", "next"}; 401; 429.
// "next" is the mailbox's last seq: where a device that wants only what comes from now on polls.
Response handleLogin(const Request& request, Services& services) {
  const auto req = common::parseLoginRequest(request.body());
  services.rateLimiter.checkLogin(req.username, request.remoteAddr());  // before any password hashing
  const uint64_t uid = checkPassword(req.username, req.password, services);
  const std::string token = newToken();  // only its hash is stored
  const NewSession opened = services.sessions.create(uid, tokenHashHex(token), req.device, services.clock.wallMs());
  common::JsonWriter w;
  w.beginObject().key("token").string(token).key("user_id").number(uid);
  w.key("username").string(req.username).key("next").number(opened.lastSeq).endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
