// SPDX-License-Identifier: MIT
// Router.cc - THE route table: mirrors shared/API.md "Endpoints" row for row.
#include "fcgi/Router.h"

#include <charconv>

#include "common/ApiError.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

Router::Router()
    : routes_{
          {"POST", "/im/register", handleRegister},
          {"POST", "/im/login", handleLogin},
          {"POST", "/im/logout", handleLogout},
          {"POST", "/im/send", handleSend},
          {"GET", "/im/poll", handlePoll},
          {"GET", "/im/history", handleHistory},
          {"GET", "/im/online", handleOnline},
          {"POST", "/im/groups", handleCreateGroup},
          {"GET", "/im/groups", handleListGroups},
          {"GET", "/im/groups/{id}", handleGetGroup},
          {"POST", "/im/groups/{id}/join", handleJoinGroup},
          {"POST", "/im/groups/{id}/leave", handleLeaveGroup},
          {"GET", "/im/health", handleHealth},
          // Operators' pages (issue 13): not in API.md; nginx admits loopback clients only.
          {"GET", "/im/metrics", handleMetrics},
          {"GET", "/im/status", handleStatus},
      } {}

Response Router::dispatch(Request& request, Services& services) const {
  bool pathKnown = false;
  for (const auto& route : routes_) {
    uint64_t id = 0;
    if (!matchPattern(route.pattern, request.path(), &id)) continue;
    pathKnown = true;
    if (request.method() != route.method) continue;
    request.setPathId(id);
    return route.handler(request, services);
  }
  if (pathKnown) {
    throw common::ApiError(common::ErrorCode::MethodNotAllowed,
                           "Method " + request.method() + " is not allowed here; use " +
                               allowedMethods(request.path()) + ".");
  }
  throw common::ApiError(common::ErrorCode::NotFound, "No such endpoint.");
}

std::string Router::allowedMethods(std::string_view path) const {
  std::string allow;
  for (const auto& route : routes_) {
    if (!matchPattern(route.pattern, path, nullptr)) continue;
    if (!allow.empty()) allow += ", ";
    allow += route.method;
  }
  return allow;
}

int Router::find(std::string_view method, std::string_view path) const {
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (method == routes_[i].method && matchPattern(routes_[i].pattern, path, nullptr)) return static_cast<int>(i);
  }
  return -1;
}

bool matchPattern(std::string_view pattern, std::string_view path, uint64_t* id) {
  constexpr std::string_view kId = "{id}";
  const size_t at = pattern.find(kId);
  if (at == std::string_view::npos) return pattern == path;
  if (path.substr(0, at) != pattern.substr(0, at)) return false;
  const std::string_view suffix = pattern.substr(at + kId.size());
  if (path.size() < at + suffix.size() || path.substr(path.size() - suffix.size()) != suffix) return false;
  const std::string_view digits = path.substr(at, path.size() - at - suffix.size());
  uint64_t value = 0;
  if (digits.empty() || digits.front() < '0' || digits.front() > '9') return false;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value == 0) return false;
  if (id) *id = value;
  return true;
}

}  // namespace im::fcgi
