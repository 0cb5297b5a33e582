// SPDX-License-Identifier: MIT
// UserProtocol.h - GET /im/users (API.md "Users"): the prefix lookup's parameters, and the
// index range that finds every username starting with a prefix. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>

#include "common/Protocol.h"

namespace im::common {

inline constexpr size_t kMaxUserPrefix = kMaxUsername;  // 1-32 of the username alphabet
inline constexpr int kDefaultUsersLimit = 20, kMaxUsersLimit = 100;

struct UsersParams {
  std::string prefix;  // 1-32 of [a-z0-9_]
  int limit = kDefaultUsersLimit;
};

// ?prefix=&limit=; BadRequest for a missing or ill-formed prefix or limit.
UsersParams parseUsersParams(const QueryParams& query);

// The least string greater than every string that starts with `prefix` (its last byte plus
// one): `username >= prefix AND username < bound` is a range scan of the binary-collated
// unique index. `prefix` is non-empty and of the username alphabet, so no byte overflows.
std::string prefixUpperBound(std::string_view prefix);

}  // namespace im::common
