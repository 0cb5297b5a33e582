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

}  // namespace

std::string formatRfc3339(int64_t unixMs) {
  return Poco::DateTimeFormatter::format(fromUnixMs(unixMs), "%Y-%m-%dT%H:%M:%S.%iZ");
}

std::string formatSqlDateTime(int64_t unixMs) {
  return Poco::DateTimeFormatter::format(fromUnixMs(unixMs), "%Y-%m-%d %H:%M:%S.%i");
}

std::optional<int64_t> parseSqlDateTime(std::string_view text) {
  // %F takes the fraction with any number of digits, or none.
  Poco::DateTime dt;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse("%Y-%m-%d %H:%M:%S%F", std::string(text), dt, tzd)) return std::nullopt;
  return dt.timestamp().epochMicroseconds() / 1000;
}

}  // namespace im::common
