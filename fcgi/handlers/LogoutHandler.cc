// SPDX-License-Identifier: MIT
// LogoutHandler.cc - revokes the calling token.
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/logout -> 204. Every node checks tokens in MySQL, so it stops working at once.
Response handleLogout(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  services.sessions.revoke(session.sessionId, services.clock.wallMs());
  services.devices.forget(session.userId, session.sessionId);
  return Response::empty(204);
}

}  // namespace im::fcgi
