// SPDX-License-Identifier: MIT
// Router.h - the route table of shared/API.md (in Router.cc, the only one) and dispatch:
// unknown path -> ApiError NotFound, known path with another method -> MethodNotAllowed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fcgi/Request.h"
#include "fcgi/Response.h"

namespace im::fcgi {

struct Services;
using Handler = Response (*)(const Request&, Services&);

struct Route {
  const char* method;
  const char* pattern;  // each "{id}" segment matches a positive integer, stored in Request::pathId(i)
  Handler handler;
};

class Router {
 public:
  // The API.md table.
  Router();
  // A custom table (tests).
  explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

  // Finds the route, sets the path id and runs the handler. Throws ApiError NotFound/MethodNotAllowed.
  Response dispatch(Request& request, Services& services) const;
  // The Allow header value for `path`: its methods, comma separated ("" when no route matches).
  std::string allowedMethods(std::string_view path) const;
  // The table itself (docs/api.md is checked against it).
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Matches `path` against `pattern` segment by segment ('/'-separated); on a match, *ids (when
// given) receives the value of each {id} segment, in order. A segment that is not a positive
// 64-bit decimal where {id} stands does not match (so it is a 404, not a 400).
bool matchPattern(std::string_view pattern, std::string_view path, std::vector<uint64_t>* ids);

}  // namespace im::fcgi
