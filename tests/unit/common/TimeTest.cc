// SPDX-License-Identifier: MIT
// TimeTest.cc - RFC 3339 with milliseconds (API.md) and DATETIME(3) text, both ways.
#include "common/Time.h"

#include <gtest/gtest.h>

using namespace im::common;

TEST(Time, FormatsRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(formatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatRfc3339(1795341600123), "2026-11-22T10:00:00.123Z");
  EXPECT_EQ(formatRfc3339(951782400007), "2000-02-29T00:00:00.007Z");
}

TEST(Time, FormatsSqlDateTime) { EXPECT_EQ(formatSqlDateTime(1795341600123), "2026-11-22 10:00:00.123"); }

TEST(Time, ParsesSqlDateTimeWithAnyFraction) {
  EXPECT_EQ(parseSqlDateTime("2026-11-22 10:00:00.123"), 1795341600123);
  EXPECT_EQ(parseSqlDateTime("2026-11-22 10:00:00"), 1795341600000);
  EXPECT_EQ(parseSqlDateTime("2026-11-22 10:00:00.1"), 1795341600100);
  EXPECT_EQ(parseSqlDateTime("2026-11-22 10:00:00.123456"), 1795341600123);
}

TEST(Time, RoundTripsThroughSqlText) {
  for (int64_t ms : {int64_t{0}, int64_t{1}, int64_t{1795341600999}, int64_t{4102444799999}}) {
    EXPECT_EQ(parseSqlDateTime(formatSqlDateTime(ms)), ms);
  }
}

TEST(Time, RejectsMalformedSqlText) {
  for (const char* s : {"", "2026-11-22", "2026-13-01 00:00:00", "2026-11-22T10:00:00", "yesterday"}) {
    EXPECT_FALSE(parseSqlDateTime(s)) << s;
  }
}
