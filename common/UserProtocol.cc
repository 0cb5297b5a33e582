// SPDX-License-Identifier: MIT
// UserProtocol.cc - validation of the users lookup.
#include "common/UserProtocol.h"

#include "common/ApiError.h"

namespace im::common {
namespace {

bool usernameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

UsersParams parseUsersParams(const QueryParams& query) {
  UsersParams p;
  const auto it = query.find("prefix");
  if (it == query.end()) throw ApiError(ErrorCode::BadRequest, "Query parameter 'prefix' is required.");
  p.prefix = it->second;
  bool ok = !p.prefix.empty() && p.prefix.size() <= kMaxUserPrefix;
  for (char c : p.prefix) ok = ok && usernameChar(c);
  if (!ok) {
    throw ApiError(ErrorCode::BadRequest, "Query parameter 'prefix' must be 1-32 characters of a-z, 0-9 and _.");
  }
  p.limit = intParam(query, "limit", kDefaultUsersLimit, 1, kMaxUsersLimit);
  return p;
}

std::string prefixUpperBound(std::string_view prefix) {
  std::string bound(prefix);
  ++bound.back();
  return bound;
}

}  // namespace im::common
