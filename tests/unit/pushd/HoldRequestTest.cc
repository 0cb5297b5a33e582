// SPDX-License-Identifier: MIT
// HoldRequestTest.cc - validation of the hand-over parameters.
#include "pushd/HoldRequest.h"

#include <gtest/gtest.h>

#include <string>

namespace im::pushd {
namespace {

std::optional<HoldRequest> parseQuery(const std::string& query, std::string& error) {
  const auto head = net::HttpRequestHead::parse("GET /hold?" + query + " HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(head);
  return HoldRequest::parse(*head, error);
}

TEST(HoldRequest, ParsesEveryParameter) {
  std::string error;
  const auto r = parseQuery("uid=42&session=s-1&since=7&timeout=5&limit=20", error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->uid, 42u);
  EXPECT_EQ(r->session, "s-1");
  EXPECT_EQ(r->since, 7u);
  EXPECT_EQ(r->timeoutS, 5u);
  EXPECT_EQ(r->limit, 20u);
}

TEST(HoldRequest, DefaultsTimeoutAndLimitAsTheApiDoes) {
  std::string error;
  const auto r = parseQuery("uid=1&session=s&since=0", error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->timeoutS, 30u);
  EXPECT_EQ(r->limit, 100u);
}

TEST(HoldRequest, RejectsMissingOrBadParameters) {
  std::string error;
  EXPECT_FALSE(parseQuery("session=s&since=0", error));
  EXPECT_NE(error.find("uid"), std::string::npos);
  EXPECT_FALSE(parseQuery("uid=0&session=s&since=0", error));
  EXPECT_FALSE(parseQuery("uid=1&session=s", error));
  EXPECT_FALSE(parseQuery("uid=1&since=0", error));
  EXPECT_FALSE(parseQuery("uid=1&session=a%20b&since=0", error));
  EXPECT_FALSE(parseQuery("uid=1&session=s&since=-1", error));
  EXPECT_FALSE(parseQuery("uid=1&session=s&since=0&limit=0", error));
  EXPECT_FALSE(parseQuery("uid=1&session=s&since=0&limit=501", error));
  EXPECT_FALSE(parseQuery("uid=1&session=s&since=0&timeout=abc", error));
  EXPECT_FALSE(parseQuery("uid=1&session=" + std::string(129, 'a') + "&since=0", error));
}

}  // namespace
}  // namespace im::pushd
