// SPDX-License-Identifier: MIT
// QueryString.h - application/x-www-form-urlencoded query parsing (pure; unit-tested).
#pragma once

#include <string>
#include <string_view>

#include "common/Protocol.h"

namespace im::fcgi {

// "a=1&b=x%20y" -> {a:1, b:"x y"}; '+' is a space. A malformed escape throws
// ApiError(BadRequest). A repeated name keeps its first value; "a" alone means a="".
common::QueryParams parseQueryString(std::string_view query);

// "%41b+c" -> "Ab c"; nullopt-free: throws ApiError(BadRequest) on a bad escape.
std::string percentDecode(std::string_view text);

}  // namespace im::fcgi
