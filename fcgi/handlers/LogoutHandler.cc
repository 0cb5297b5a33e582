// SPDX-License-Identifier: MIT
// LogoutHandler.cc - revokes the calling token.
#include "common/ApiError.h"
#include "fcgi/Auth.h"
#include "fcgi/Crypto.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// POST /im/logout -> 204. The token cache's tombstone goes first: no request can cache the
// token after it, and Redis unreachable is 503 with nothing revoked (the token cannot be known
// stopped on every node). The second tombstone, after the MySQL revocation, is best effort: it
// only closes a fill that raced a FLUSHALL (docs/internals.md "Token cache").
Response handleLogout(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const std::vector<std::string> hash{tokenHashHex(request.bearerToken())};
  services.tokens.revoke(hash);
  try {
    services.sessions.revoke(session.sessionId, services.clock.wallMs());
  } catch (...) {
    services.tokens.withdraw(hash);  // MySQL down: 503, and the token is as it was
    throw;
  }
  try {
    services.tokens.revoke(hash);
  } catch (const common::ApiError&) {
    // Revoked in MySQL, tombstoned in Redis: the logout has happened.
  }
  services.devices.forget(session.userId, session.sessionId);
  return Response::empty(204);
}

}  // namespace im::fcgi
