// SPDX-License-Identifier: MIT
// HoldRequestTest.cc - the hand-over query: round trip, defaults, and every validation error.
#include "common/HoldRequest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace im::common {
namespace {

std::optional<HoldRequest> decode(const std::string& query) {
  std::string error;
  auto r = HoldRequest::decode(query, error);
  if (!r) {
    EXPECT_FALSE(error.empty()) << query;
  }
  return r;
}

TEST(HoldRequest, EncodesEveryParameterInTheHandOverOrder) {
  const HoldRequest r{.uid = 42, .session = "17", .since = 7, .timeoutS = 5, .limit = 20, .req = ""};
  EXPECT_EQ(r.encode(), "uid=42&session=17&since=7&timeout=5&limit=20");
}

TEST(HoldRequest, CarriesNginxsRequestIdLastWhenThereIsOne) {
  const HoldRequest r{.uid = 42, .session = "17", .since = 7, .timeoutS = 5, .limit = 20,
                      .req = "0123456789abcdef0123456789abcdef"};
  EXPECT_EQ(r.encode(), "uid=42&session=17&since=7&timeout=5&limit=20&req=0123456789abcdef0123456789abcdef");
  std::string error;
  const auto back = HoldRequest::decode(r.encode(), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->req, r.req);
  const auto none = decode("uid=1&session=s&since=0");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->req, "");
}

TEST(HoldRequest, RefusesARequestIdTheLogWouldNotTake) {
  std::string error;
  for (const std::string& bad : {std::string(), std::string(65, 'a'), std::string("a_b"), std::string("a%20b"),
                                 std::string("a+b"), std::string("a.b")}) {
    EXPECT_FALSE(HoldRequest::decode("uid=1&session=s&since=0&req=" + bad, error)) << bad;
    EXPECT_NE(error.find("'req'"), std::string::npos) << error;
  }
  const auto longest = decode("uid=1&session=s&since=0&req=" + std::string(64, 'Z') + "-9");
  EXPECT_FALSE(longest);  // 66 characters
  EXPECT_TRUE(decode("uid=1&session=s&since=0&req=" + std::string(63, 'Z') + "-"));
}

TEST(HoldRequest, DecodesWhatItEncodesAtTheLimits) {
  for (const HoldRequest& r : {HoldRequest{.uid = 1, .session = "a", .since = 0, .timeoutS = 0, .limit = 1, .req = ""},
                               HoldRequest{.uid = UINT64_MAX, .session = std::string(128, '~'),
                                           .since = UINT64_MAX - HoldRequest::kMaxLimit,
                                           .timeoutS = HoldRequest::kMaxTimeoutS, .limit = HoldRequest::kMaxLimit,
                                           .req = std::string(64, '-')},
                               HoldRequest{.uid = 5, .session = "dev-7.laptop_X", .since = 3, .timeoutS = 30, .limit = 100,
                                           .req = "5f1c0e2a-9B"}}) {
    std::string error;
    const auto back = HoldRequest::decode(r.encode(), error);
    ASSERT_TRUE(back) << r.encode() << ": " << error;
    EXPECT_EQ(*back, r);
  }
}

TEST(HoldRequest, SharesThePollLimitsOfTheApi) {
  EXPECT_EQ(HoldRequest::kMaxLimit, static_cast<uint32_t>(kMaxPollLimit));
  EXPECT_EQ(HoldRequest::kDefaultLimit, static_cast<uint32_t>(kDefaultPollLimit));
}

TEST(HoldRequest, DefaultsTimeoutAndLimitAsTheApiDoes) {
  const auto r = decode("uid=1&session=s&since=0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->timeoutS, 30u);
  EXPECT_EQ(r->limit, 100u);
}

TEST(HoldRequest, IgnoresUnknownParametersAndKeepsTheFirstOfARepeatedOne) {
  const auto r = decode("x=1&uid=3&uid=4&session=s&since=9&&z");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->uid, 3u);
  EXPECT_EQ(r->since, 9u);
}

TEST(HoldRequest, NamesTheMissingOrBadParameter) {
  std::string error;
  EXPECT_FALSE(HoldRequest::decode("session=s&since=0", error));
  EXPECT_NE(error.find("'uid'"), std::string::npos) << error;
  EXPECT_FALSE(HoldRequest::decode("uid=1&session=s&since=0&limit=501", error));
  EXPECT_NE(error.find("'limit'"), std::string::npos) << error;
  EXPECT_FALSE(HoldRequest::decode("uid=1&since=0", error));
  EXPECT_NE(error.find("'session'"), std::string::npos) << error;
}

TEST(HoldRequest, RejectsMissingOrBadParameters) {
  const std::vector<std::string> bad = {"", "uid=0&session=s&since=0", "uid=1&session=s", "uid=&session=s&since=0",
                              "uid=1&session=a%20b&since=0", "uid=1&session=a+b&since=0", "uid=1&session=&since=0",
                              "uid=1&session=s&since=-1", "uid=1&session=s&since=18446744073709551116",
                              "uid=1&session=s&since=0&limit=0", "uid=1&session=s&since=0&limit=501",
                              "uid=1&session=s&since=0&timeout=3601", "uid=1&session=s&since=0&timeout=abc",
                              "uid=18446744073709551616&session=s&since=0", "uid= 1&session=s&since=0",
                              "uid=1&session=" + std::string(129, 'a') + "&since=0"};
  for (const std::string& q : bad) {
    EXPECT_FALSE(decode(q)) << q;
  }
}

}  // namespace
}  // namespace im::common
