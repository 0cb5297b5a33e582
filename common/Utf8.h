// SPDX-License-Identifier: MIT
// Utf8.h - strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, <= U+10FFFF)
// that also counts code points, since API.md limits are in characters, not bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace im::common {

// Number of code points in `text`, or nullopt if it is not valid UTF-8.
std::optional<size_t> utf8Length(std::string_view text);

}  // namespace im::common
