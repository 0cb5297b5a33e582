// SPDX-License-Identifier: MIT
// ListGroupsHandler.cc - the caller's groups with their member counts and its role.
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/groups -> 200 {"groups": [{"group_id", "name", "members", "role", "public"}]}
Response handleListGroups(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto groups = services.groups.listFor(session.userId);
  common::JsonWriter w;
  w.beginObject().key("groups").beginArray();
  for (const auto& g : groups) {
    w.beginObject().key("group_id").number(g.id).key("name").string(g.name);
    w.key("members").number(g.members).key("role").string(common::toString(g.role));
    w.key("public").boolean(g.isPublic).endObject();
  }
  w.endArray().endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
