// SPDX-License-Identifier: MIT
// SearchProtocolTest.cc - every rule of GET /im/search's parameters (common/SearchProtocol).
#include "common/SearchProtocol.h"

#include <gtest/gtest.h>

#include "common/ApiError.h"

namespace im::common {
namespace {

// The error code parseSearchParams throws for `query`, or nullopt when it accepts it.
std::optional<ErrorCode> errorOf(const QueryParams& query) {
  try {
    parseSearchParams(query);
  } catch (const ApiError& e) {
    return e.code();
  }
  return std::nullopt;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(SearchProtocol, DefaultsToEveryConversationNewestTwenty) {
  const auto p = parseSearchParams({{"q", "hello"}});
  EXPECT_EQ(p.q, "hello");
  EXPECT_EQ(p.with, 0u);
  EXPECT_EQ(p.group, 0u);
  EXPECT_FALSE(p.before.has_value());
  EXPECT_EQ(p.limit, 20);
}

TEST(SearchProtocol, ReadsTheNamedConversationBeforeAndLimit) {
  const auto direct = parseSearchParams({{"q", "x"}, {"with", "7"}, {"before", "42"}, {"limit", "100"}});
  EXPECT_EQ(direct.with, 7u);
  EXPECT_EQ(direct.group, 0u);
  EXPECT_EQ(direct.before, std::optional<uint64_t>(42));
  EXPECT_EQ(direct.limit, 100);
  const auto group = parseSearchParams({{"q", "x"}, {"group", "18446744073709551615"}, {"limit", "1"}});
  EXPECT_EQ(group.group, 18446744073709551615u);
  EXPECT_EQ(group.limit, 1);
}

TEST(SearchProtocol, QIsRequiredAndOneToHundredCharacters) {
  EXPECT_EQ(errorOf({}), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf({{"q", ""}}), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf({{"q", std::string(101, 'a')}}), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf({{"q", std::string(100, 'a')}}), std::nullopt);
  // Characters, not bytes: 100 CJK characters are 300 bytes and accepted; 101 are not.
  EXPECT_EQ(errorOf({{"q", repeat("\xe4\xbd\xa0", 100)}}), std::nullopt);
  EXPECT_EQ(errorOf({{"q", repeat("\xe4\xbd\xa0", 101)}}), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf({{"q", repeat("\xf0\x9f\x98\x80", 100)}}), std::nullopt);  // emoji: 4 bytes each
}

TEST(SearchProtocol, QMustBeValidUtf8) {
  EXPECT_EQ(errorOf({{"q", "\xff"}}), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf({{"q", "\xed\xa0\x80"}}), ErrorCode::BadRequest);  // a surrogate
  EXPECT_EQ(errorOf({{"q", "\xc0\xaf"}}), ErrorCode::BadRequest);      // an overlong '/'
}

TEST(SearchProtocol, KeepsWildcardsAndSpacesAsSent) {
  EXPECT_EQ(parseSearchParams({{"q", " 100% _x\\ "}}).q, " 100% _x\\ ");
}

TEST(SearchProtocol, RefusesBothWithAndGroup) {
  EXPECT_EQ(errorOf({{"q", "x"}, {"with", "1"}, {"group", "2"}}), ErrorCode::BadRequest);
}

TEST(SearchProtocol, RefusesBadIdsAndLimits) {
  for (const char* bad : {"0", "-1", "x", "1.5", "", "18446744073709551616", " 1"}) {
    EXPECT_EQ(errorOf({{"q", "x"}, {"with", bad}}), ErrorCode::BadRequest) << bad;
    EXPECT_EQ(errorOf({{"q", "x"}, {"group", bad}}), ErrorCode::BadRequest) << bad;
    EXPECT_EQ(errorOf({{"q", "x"}, {"before", bad}}), ErrorCode::BadRequest) << bad;
  }
  for (const char* bad : {"0", "101", "-1", "x", ""}) {
    EXPECT_EQ(errorOf({{"q", "x"}, {"limit", bad}}), ErrorCode::BadRequest) << bad;
  }
}

}  // namespace
}  // namespace im::common
