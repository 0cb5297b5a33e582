// SPDX-License-Identifier: MIT
// HealthHandler.cc - the smallest handler: are MySQL and Redis answering?
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/health -> 200 {"status":"ok"}; 503 unavailable (thrown by Db / RedisClient).
Response handleHealth(const Request&, Services& services) {
  services.db.ping();
  services.presence.ping();
  return Response::json(200, R"({"status":"ok"})");
}

}  // namespace im::fcgi
