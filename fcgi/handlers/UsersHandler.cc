// SPDX-License-Identifier: MIT
// UsersHandler.cc - turns a name into an id: accounts whose username starts with a prefix.
#include "common/UserProtocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/users?prefix=<p>&limit=<n> -> 200 {"users": [{"user_id", "username"}]}, ascending by name.
Response handleUsers(const Request& request, Services& services) {
  authenticate(request, services);
  const auto p = common::parseUsersParams(request.query());
  const auto users = services.users.withPrefix(p.prefix, p.limit);
  common::JsonWriter w;
  w.beginObject().key("users").beginArray();
  for (const auto& [id, name] : users) {
    w.beginObject().key("user_id").number(id).key("username").string(name).endObject();
  }
  w.endArray().endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
