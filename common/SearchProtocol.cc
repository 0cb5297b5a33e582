// SPDX-License-Identifier: MIT
// SearchProtocol.cc - validation of the search parameters; lengths count code points, like API.md.
#include "common/SearchProtocol.h"

#include "common/ApiError.h"
#include "common/Utf8.h"

namespace im::common {

SearchParams parseSearchParams(const QueryParams& query) {
  SearchParams p;
  const auto q = query.find("q");
  if (q == query.end()) throw ApiError(ErrorCode::BadRequest, "Query parameter 'q' is required.");
  const auto chars = utf8Length(q->second);
  if (!chars) throw ApiError(ErrorCode::BadRequest, "Query parameter 'q' is not valid UTF-8.");
  if (*chars < kMinSearchChars || *chars > kMaxSearchChars) {
    throw ApiError(ErrorCode::BadRequest, "Query parameter 'q' must be 1-100 characters.");
  }
  p.q = q->second;
  const auto with = idParam(query, "with");
  const auto group = idParam(query, "group");
  if (with && group) throw ApiError(ErrorCode::BadRequest, "At most one of 'with' and 'group' may be given.");
  p.with = with.value_or(0);
  p.group = group.value_or(0);
  p.before = idParam(query, "before");
  p.limit = intParam(query, "limit", kDefaultSearchLimit, 1, kMaxSearchLimit);
  return p;
}

}  // namespace im::common
