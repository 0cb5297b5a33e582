// SPDX-License-Identifier: MIT
// CorsPolicy.cc - the verdict on an Origin, and the CORS headers.
#include "fcgi/CorsPolicy.h"

#include <algorithm>
#include <cctype>

namespace im::fcgi {
namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// "https://Host:8443" names host "Host:8443". The scheme is not compared: behind a TLS
// terminator nginx may see http for an https page, and a host:port serves one scheme anyway.
bool sameOrigin(std::string_view origin, std::string_view host) {
  const auto sep = origin.find("://");
  return sep != std::string_view::npos && !host.empty() && equalsIgnoreCase(origin.substr(sep + 3), host);
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> allowedOrigins) : allowed_(std::move(allowedOrigins)) {}

// Origins are compared exactly, as RFC 6454 serialises them (browsers send them lower case).
CorsPolicy::Verdict CorsPolicy::judge(std::string_view origin, std::string_view host) const {
  if (origin.empty() || sameOrigin(origin, host)) return Verdict::NotCors;
  const bool listed = std::find(allowed_.begin(), allowed_.end(), origin) != allowed_.end();
  return listed ? Verdict::Allowed : Verdict::Refused;
}

Response CorsPolicy::preflight(std::string_view origin) const {
  Response r = Response::empty(204);
  decorate(r, origin);
  r.header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE");
  r.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
  r.header("Access-Control-Max-Age", std::to_string(kMaxAgeS));
  return r;
}

void CorsPolicy::decorate(Response& response, std::string_view origin) {
  response.header("Access-Control-Allow-Origin", std::string(origin));
  response.header("Vary", "Origin");
  response.header("Access-Control-Expose-Headers", "Retry-After");
}

}  // namespace im::fcgi
