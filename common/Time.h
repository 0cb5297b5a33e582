// SPDX-License-Identifier: MIT
// Time.h - the two time formats we speak: RFC 3339 UTC with milliseconds (API.md)
// and MySQL's DATETIME(3) text, both from/to Unix milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace im::common {

// 1795341600123 -> "2026-11-22T10:00:00.123Z"
std::string formatRfc3339(int64_t unixMs);

// 1795341600123 -> "2026-11-22 10:00:00.123" (what a DATETIME(3) column takes and gives).
std::string formatSqlDateTime(int64_t unixMs);

// "2026-11-22 10:00:00.123" (fraction optional, 0-6 digits) -> Unix ms; nullopt if malformed.
std::optional<int64_t> parseSqlDateTime(std::string_view text);

}  // namespace im::common
