// SPDX-License-Identifier: MIT
// RegisterHandler.cc - creates a user.
#include "common/Protocol.h"
#include "fcgi/Crypto.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/register {"username", "password"} -> 201 {"user_id", "username"}; 409 when taken.
Response handleRegister(const Request& request, Services& services) {
  const auto req = common::parseRegisterRequest(request.body());
  const auto& auth = services.config.auth;
  const std::string hash = hashPassword(req.password, auth.argon2Ops, auth.argon2MemKib);
  const uint64_t uid = services.users.create(req.username, hash, services.clock.wallMs());
  common::JsonWriter w;
  w.beginObject().key("user_id").number(uid).key("username").string(req.username).endObject();
  return Response::json(201, w.take());
}

}  // namespace im::fcgi
