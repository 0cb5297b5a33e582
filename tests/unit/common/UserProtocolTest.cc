// SPDX-License-Identifier: MIT
// UserProtocolTest.cc - the users lookup's parameters and the prefix's index range.
#include "common/UserProtocol.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/ApiError.h"

namespace im::common {
namespace {

bool refused(const QueryParams& q) {
  try {
    parseUsersParams(q);
  } catch (const ApiError& e) {
    return e.code() == ErrorCode::BadRequest;
  }
  return false;
}

TEST(UserProtocol, ParsesPrefixAndLimit) {
  const auto p = parseUsersParams({{"prefix", "al_1"}, {"limit", "7"}});
  EXPECT_EQ(p.prefix, "al_1");
  EXPECT_EQ(p.limit, 7);
  EXPECT_EQ(parseUsersParams({{"prefix", "a"}}).limit, 20);
  EXPECT_EQ(parseUsersParams({{"prefix", "a"}, {"limit", "100"}}).limit, 100);
  EXPECT_EQ(parseUsersParams({{"prefix", std::string(32, 'z')}}).prefix, std::string(32, 'z'));
}

TEST(UserProtocol, RefusesPrefixesOutsideTheUsernameAlphabet) {
  EXPECT_TRUE(refused({}));
  const std::vector<std::string> bad = {"", "A", "a-b", "a b", "a%", "\xc3\xa9", std::string(33, 'a')};
  for (const std::string& prefix : bad) {
    EXPECT_TRUE(refused({{"prefix", prefix}})) << prefix;
  }
}

TEST(UserProtocol, RefusesLimitsOutsideOneToHundred) {
  for (const char* limit : {"0", "101", "-1", "x", "", "1.5"}) {
    EXPECT_TRUE(refused({{"prefix", "a"}, {"limit", limit}})) << limit;
  }
}

TEST(UserProtocol, UpperBoundIsThePrefixWithItsLastByteRaised) {
  EXPECT_EQ(prefixUpperBound("ab"), "ac");
  EXPECT_EQ(prefixUpperBound("a_"), "a`");
  EXPECT_EQ(prefixUpperBound("z"), "{");
  EXPECT_EQ(prefixUpperBound("9"), ":");
  // Every name with the prefix lies in [prefix, bound); the next name outside does not.
  for (const std::string name : {"ab", "ab_", "abz", "abzzzz"}) {
    EXPECT_TRUE(name >= "ab" && name < prefixUpperBound("ab")) << name;
  }
  EXPECT_FALSE(std::string("ac") < prefixUpperBound("ab"));
}

}  // namespace
}  // namespace im::common
