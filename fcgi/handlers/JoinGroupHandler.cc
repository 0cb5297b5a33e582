// SPDX-License-Identifier: MIT
// JoinGroupHandler.cc - joins a group (idempotent).
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/groups/{id}/join -> 204; unknown group 404.
Response handleJoinGroup(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  services.groups.join(request.pathId(), session.userId, services.clock.wallMs());
  return Response::empty(204);
}

}  // namespace im::fcgi
