// SPDX-License-Identifier: MIT
// SearchProtocol.h - GET /im/search's query parameters (API.md "GET /im/search"): q, the optional
// conversation (with | group), before, limit. Pure: validation only, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/Protocol.h"

namespace im::common {

inline constexpr size_t kMinSearchChars = 1, kMaxSearchChars = 100;
inline constexpr int kDefaultSearchLimit = 20, kMaxSearchLimit = 100;

struct SearchParams {
  std::string q;        // 1-100 code points of valid UTF-8, as sent (no trimming, no folding)
  uint64_t with = 0;    // at most one of `with` and `group` is non-zero; both zero = every
  uint64_t group = 0;   // conversation of the caller
  std::optional<uint64_t> before;
  int limit = kDefaultSearchLimit;
};

SearchParams parseSearchParams(const QueryParams& query);

}  // namespace im::common
