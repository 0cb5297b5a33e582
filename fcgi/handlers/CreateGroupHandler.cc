// SPDX-License-Identifier: MIT
// CreateGroupHandler.cc - creates a group; the creator is its owner.
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/groups {"name", "members"?: [uid...], "public"?: bool} -> 201 {"group_id"}; unknown member 404.
Response handleCreateGroup(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  auto req = common::parseCreateGroupRequest(request.body());
  const uint64_t gid =
      services.groups.create(session.userId, req.name, std::move(req.members), req.isPublic, services.clock.wallMs());
  common::JsonWriter w;
  w.beginObject().key("group_id").number(gid).endObject();
  return Response::json(201, w.take());
}

}  // namespace im::fcgi
