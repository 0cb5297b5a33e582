// SPDX-License-Identifier: MIT
// Router.cc - THE route table: mirrors shared/API.md "Endpoints" row for row.
#include "fcgi/Router.h"

#include <charconv>
#include <optional>

#include "common/ApiError.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {
namespace {

constexpr std::string_view kId = "{id}";

// A path segment as an id: decimal digits only, no sign, > 0, fits in 64 bits.
std::optional<uint64_t> positiveId(std::string_view digits) {
  uint64_t value = 0;
  if (digits.empty() || digits.front() < '0' || digits.front() > '9') return std::nullopt;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value == 0) return std::nullopt;
  return value;
}

}  // namespace

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
          // Groups with roles (issue 11)
          {"PATCH", "/im/groups/{id}", handleUpdateGroup},
          {"POST", "/im/groups/{id}/members", handleAddMembers},
          {"DELETE", "/im/groups/{id}/members/{id}", handleRemoveMember},
          {"PATCH", "/im/groups/{id}/members/{id}", handleSetMemberRole},
          {"POST", "/im/typing", handleTyping},
          {"GET", "/im/search", handleSearch},
          // Users and conversations (issue 11)
          {"GET", "/im/users", handleUsers},
          {"GET", "/im/conversations", handleConversations},
          {"POST", "/im/read", handleRead},
      } {}

Response Router::dispatch(Request& request, Services& services) const {
  bool pathKnown = false;
  for (const auto& route : routes_) {
    std::vector<uint64_t> ids;
    if (!matchPattern(route.pattern, request.path(), &ids)) continue;
    pathKnown = true;
    if (request.method() != route.method) continue;
    request.setPathIds(std::move(ids));
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

bool matchPattern(std::string_view pattern, std::string_view path, std::vector<uint64_t>* ids) {
  if (pattern.find(kId) == std::string_view::npos) return pattern == path;
  std::vector<uint64_t> found;
  for (;;) {
    const size_t patternEnd = pattern.find('/'), pathEnd = path.find('/');
    const std::string_view want = pattern.substr(0, patternEnd), got = path.substr(0, pathEnd);
    if (want == kId) {
      const auto id = positiveId(got);
      if (!id) return false;
      found.push_back(*id);
    } else if (want != got) {
      return false;
    }
    if (patternEnd == std::string_view::npos || pathEnd == std::string_view::npos) {
      if (patternEnd != pathEnd) return false;  // one has more segments
      break;
    }
    pattern.remove_prefix(patternEnd + 1);
    path.remove_prefix(pathEnd + 1);
  }
  if (ids) *ids = std::move(found);
  return true;
}

}  // namespace im::fcgi
