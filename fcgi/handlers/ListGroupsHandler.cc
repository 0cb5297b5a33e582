// SPDX-License-Identifier: MIT
// ListGroupsHandler.cc - the caller's groups with their member counts.
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/groups -> 200 {"groups": [{"group_id", "name", "members"}]}
Response handleListGroups(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto groups = services.groups.listFor(session.userId);
  common::JsonWriter w;
  w.beginObject().key("groups").beginArray();
  for (const auto& g : groups) {
    w.beginObject().key("group_id").number(g.id).key("name").string(g.name);
    w.key("members").number(g.members).endObject();
  }
  w.endArray().endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
