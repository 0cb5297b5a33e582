// SPDX-License-Identifier: MIT
// LeaveGroupHandler.cc - leaves a group (idempotent).
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/groups/{id}/leave -> 204; unknown group 404.
Response handleLeaveGroup(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  services.groups.leave(request.pathId(), session.userId);
  return Response::empty(204);
}

}  // namespace im::fcgi
