// SPDX-License-Identifier: MIT
// UsersTest.cc - GET /im/users through nginx (API.md "Users"): prefix match, order, limit, the
// prefix rules (400), authentication (401), and that the lookup is a range of the username index.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

class Users : public ::testing::Test {
 protected:
  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};

  // Registers each name (the test owns its prefix) and returns name -> id in the order given.
  std::vector<std::pair<std::string, int64_t>> registerAll(const std::vector<std::string>& names) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& name : names) {
      const HttpResponse r = api_.registerUser(name, "correct horse battery");
      if (r.status != 201) throw std::runtime_error("register " + name + ": " + r.body);
      out.emplace_back(name, parseObject(r.body)->getValue<int64_t>("user_id"));
    }
    return out;
  }
  // (user_id, username) of an answer, in its order.
  std::vector<std::pair<int64_t, std::string>> found(const HttpResponse& r) {
    std::vector<std::pair<int64_t, std::string>> out;
    const auto users = parseObject(r.body)->getArray("users");
    if (!users) throw std::runtime_error("no users array: " + r.body);
    for (size_t i = 0; i < users->size(); ++i) {
      const auto u = users->getObject(static_cast<unsigned>(i));
      out.emplace_back(u->getValue<int64_t>("user_id"), u->getValue<std::string>("username"));
    }
    return out;
  }
};

TEST_F(Users, FindsEveryNameWithThePrefixAscendingByName) {
  const auto ids = registerAll({"pfx_b", "pfxa", "pfx_a", "pfy_a", "pfw", "pfx_c"});
  const TestUser me = api_.newUser("finder");
  const HttpResponse r = api_.http().get("/im/users?prefix=pfx", me.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(IsJson(r));
  // '_' sorts before 'a' in the binary collation; "pfw" and "pfy_a" do not start with "pfx".
  const std::vector<std::pair<int64_t, std::string>> expected = {
      {ids[2].second, "pfx_a"}, {ids[0].second, "pfx_b"}, {ids[5].second, "pfx_c"}, {ids[1].second, "pfxa"}};
  EXPECT_EQ(found(r), expected) << r.body;
  // A whole name is a prefix of itself.
  const HttpResponse exact = api_.http().get("/im/users?prefix=pfxa", me.token);
  ASSERT_EQ(exact.status, 200) << exact.body;
  EXPECT_EQ(found(exact), (std::vector<std::pair<int64_t, std::string>>{{ids[1].second, "pfxa"}}));
}

TEST_F(Users, UnderscoreInThePrefixIsLiteralNotAWildcard) {
  const auto ids = registerAll({"und_x", "undyx", "und_y"});
  const TestUser me = api_.newUser("finder");
  const HttpResponse r = api_.http().get("/im/users?prefix=und_", me.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(found(r), (std::vector<std::pair<int64_t, std::string>>{{ids[0].second, "und_x"}, {ids[2].second, "und_y"}}));
  const HttpResponse none = api_.http().get("/im/users?prefix=nobodyhere", me.token);
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_TRUE(found(none).empty()) << none.body;
}

TEST_F(Users, LimitDefaultsToTwentyAndCapsTheAnswer) {
  std::vector<std::string> names;
  for (int i = 0; i < 23; ++i) names.push_back("lim_" + std::string(i < 10 ? "0" : "") + std::to_string(i));
  registerAll(names);
  const TestUser me = api_.newUser("finder");
  const auto all = found(api_.http().get("/im/users?prefix=lim_", me.token));
  ASSERT_EQ(all.size(), 20u);
  EXPECT_EQ(all.front().second, "lim_00");
  EXPECT_EQ(all.back().second, "lim_19");
  const auto three = found(api_.http().get("/im/users?prefix=lim_&limit=3", me.token));
  ASSERT_EQ(three.size(), 3u);
  EXPECT_EQ(three[2].second, "lim_02");
  EXPECT_EQ(found(api_.http().get("/im/users?prefix=lim_&limit=100", me.token)).size(), 23u);
}

TEST_F(Users, BadPrefixOrLimitIs400) {
  const TestUser me = api_.newUser("finder");
  for (const char* query : {"", "prefix=", "prefix=Alice", "prefix=a-b", "prefix=a%20b", "prefix=%C3%A9",
                            "prefix=abcdefghijklmnopqrstuvwxyz0123456", "prefix=a&limit=0", "prefix=a&limit=101",
                            "prefix=a&limit=x"}) {
    const HttpResponse r = api_.http().get(std::string("/im/users?") + query, me.token);
    EXPECT_TRUE(IsApiError(r, 400, "bad_request")) << query;
  }
  // 32 characters is the longest name, so the longest prefix.
  EXPECT_EQ(api_.http().get("/im/users?prefix=abcdefghijklmnopqrstuvwxyz012345", me.token).status, 200);
}

TEST_F(Users, NeedsAToken) {
  EXPECT_TRUE(IsApiError(api_.http().get("/im/users?prefix=a"), 401, "unauthorized"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/users?prefix=a", "not-a-token"), 401, "unauthorized"));
}

// The lookup's statement (fcgi/store/UserStore withPrefix) reads a range of uq_users_username
// in order: no scan of the table, no sort.
TEST_F(Users, TheLookupIsARangeOfTheUsernameIndex) {
  const auto plan = stack_.sql(
      "EXPLAIN SELECT id, username FROM im.users WHERE username >= 'pfx' AND username < 'pfy' "
      "ORDER BY username LIMIT 20");
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_NE(plan[0].find("\trange\t"), std::string::npos) << plan[0];
  EXPECT_NE(plan[0].find("uq_users_username"), std::string::npos) << plan[0];
  EXPECT_EQ(plan[0].find("filesort"), std::string::npos) << plan[0];
}

}  // namespace
}  // namespace im::test
