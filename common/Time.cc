// SPDX-License-Identifier: MIT
// Time.cc - UTC formatting and parsing through Poco's DateTime (no C library time zone state).
#include "common/Time.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>

namespace im::common {
namespace {

Poco::Timestamp fromUnixMs(int64_t unixMs) { return Poco::Timestamp(unixMs * 1000); }

// "YYYY-MM-DD HH:MM:SS" optionally followed by "." and 1-6 digits; Poco's parser alone is lenient.
bool hasSqlDateTimeShape(std::string_view s) {
  static constexpr std::string_view kShape = "dddd-dd-dd dd:dd:dd";
  if (s.size() < kShape.size() || s.size() == kShape.size() + 1 || s.size() > kShape.size() + 7) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char want = i < kShape.size() ? kShape[i] : (i == kShape.size() ? '.' : 'd');
    const bool ok = want == 'd' ? (s[i] >= '0' && s[i] <= '9') : s[i] == want;
    if (!ok) return false;
  }
  return true;
}

int field(std::string_view s, size_t pos, size_t len) {
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

std::string formatRfc3339(int64_t unixMs) {
  return Poco::DateTimeFormatter::format(fromUnixMs(unixMs), "%Y-%m-%dT%H:%M:%S.%iZ");
}

std::string formatSqlDateTime(int64_t unixMs) {
  return Poco::DateTimeFormatter::format(fromUnixMs(unixMs), "%Y-%m-%d %H:%M:%S.%i");
}

std::optional<int64_t> parseSqlDateTime(std::string_view text) {
  if (!hasSqlDateTimeShape(text) ||
      !Poco::DateTime::isValid(field(text, 0, 4), field(text, 5, 2), field(text, 8, 2), field(text, 11, 2),
                               field(text, 14, 2), field(text, 17, 2))) {
    return std::nullopt;
  }
  // %F takes the fraction with any number of digits, or none.
  Poco::DateTime dt;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse("%Y-%m-%d %H:%M:%S%F", std::string(text), dt, tzd)) return std::nullopt;
  return dt.timestamp().epochMicroseconds() / 1000;
}

}  // namespace im::common
