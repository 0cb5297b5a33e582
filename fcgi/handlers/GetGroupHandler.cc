// SPDX-License-Identifier: MIT
// GetGroupHandler.cc - one group with its members (members only).
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/groups/{id} -> 200 {"group_id", "name", "members": [{"user_id", "username"}]}; 403; 404.
Response handleGetGroup(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto g = services.groups.get(request.pathId(), session.userId);
  common::JsonWriter w;
  w.beginObject().key("group_id").number(g.id).key("name").string(g.name).key("members").beginArray();
  for (const auto& [uid, name] : g.members) {
    w.beginObject().key("user_id").number(uid).key("username").string(name).endObject();
  }
  w.endArray().endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
