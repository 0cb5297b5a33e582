// SPDX-License-Identifier: MIT
// GetGroupHandler.cc - one group with its members and their roles (members only).
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/groups/{id} -> 200 {"group_id", "name", "public", "members": [{"user_id", "username", "role"}]};
// not a member 403; unknown group 404.
Response handleGetGroup(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto g = services.groups.get(request.pathId(), session.userId);
  common::JsonWriter w;
  w.beginObject().key("group_id").number(g.id).key("name").string(g.name).key("public").boolean(g.isPublic);
  w.key("members").beginArray();
  for (const auto& m : g.members) {
    w.beginObject().key("user_id").number(m.userId).key("username").string(m.username);
    w.key("role").string(common::toString(m.role)).endObject();
  }
  w.endArray().endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
