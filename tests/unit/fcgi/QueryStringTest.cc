// SPDX-License-Identifier: MIT
// QueryStringTest.cc - query splitting, percent-decoding and the bearer header.
#include "fcgi/QueryString.h"

#include <gtest/gtest.h>

#include "common/ApiError.h"
#include "fcgi/Request.h"

namespace im::fcgi {
namespace {

TEST(QueryString, SplitsAndDecodes) {
  const auto q = parseQueryString("since=5&timeout=0&x=a%20b+c&flag&&empty=");
  EXPECT_EQ(q.at("since"), "5");
  EXPECT_EQ(q.at("timeout"), "0");
  EXPECT_EQ(q.at("x"), "a b c");
  EXPECT_EQ(q.at("flag"), "");
  EXPECT_EQ(q.at("empty"), "");
  EXPECT_EQ(q.size(), 5u);
}

TEST(QueryString, KeepsTheFirstOfARepeatedName) { EXPECT_EQ(parseQueryString("a=1&a=2").at("a"), "1"); }

TEST(QueryString, RefusesABadEscape) {
  EXPECT_THROW(parseQueryString("a=%4"), common::ApiError);
  EXPECT_THROW(parseQueryString("a=%zz"), common::ApiError);
  EXPECT_EQ(percentDecode("%41%62"), "Ab");
}

TEST(Request, ParsesTheBearerToken) {
  EXPECT_EQ(parseBearer("Bearer abc-DEF_1"), "abc-DEF_1");
  EXPECT_EQ(parseBearer("bearer   tok "), "tok");
  EXPECT_EQ(parseBearer("Basic dXNlcg=="), "");
  EXPECT_EQ(parseBearer("Bearer "), "");
  EXPECT_EQ(parseBearer(""), "");
}

TEST(Request, CarriesMethodPathAndQuery) {
  const Request r("GET", "/im/poll", "since=3");
  EXPECT_EQ(r.method(), "GET");
  EXPECT_EQ(r.path(), "/im/poll");
  EXPECT_EQ(r.query().at("since"), "3");
}

}  // namespace
}  // namespace im::fcgi
