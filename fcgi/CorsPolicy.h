// SPDX-License-Identifier: MIT
// CorsPolicy.h - API.md "Browsers": which cross-origin pages may call the API (config
// http.allowed_origins), the preflight answer, and the headers of every answer to them.
//
// The choice (docs/internals.md "Cross-origin requests"): fcgi decides, nginx only echoes for
// held polls. A request without Origin, or whose Origin names this very host (the web client at
// /im/app/), is no CORS request. A listed origin gets its preflight answered (204) and
// Access-Control-Allow-Origin: <origin> + Vary: Origin on every answer. Any other origin is
// refused outright: 403 forbidden, preflight included, nothing done and no CORS header, so the
// browser blocks it and a script outside a browser learns why.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fcgi/Response.h"

namespace im::fcgi {

class CorsPolicy {
 public:
  static constexpr int kMaxAgeS = 600;  // browsers cache a preflight this long (Chrome caps at 7200)

  enum class Verdict { NotCors, Allowed, Refused };

  explicit CorsPolicy(std::vector<std::string> allowedOrigins);

  // `origin` and `host` are the request's Origin and Host headers ("" when absent).
  Verdict judge(std::string_view origin, std::string_view host) const;
  // 204 with Allow-Origin, Allow-Methods, Allow-Headers (Authorization, Content-Type), Max-Age.
  Response preflight(std::string_view origin) const;
  // Access-Control-Allow-Origin, Vary and Expose-Headers (Retry-After: 429 and 503 carry it).
  static void decorate(Response& response, std::string_view origin);

 private:
  std::vector<std::string> allowed_;
};

}  // namespace im::fcgi
