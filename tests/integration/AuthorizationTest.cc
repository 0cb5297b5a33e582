// SPDX-License-Identifier: MIT
// AuthorizationTest.cc - who may read and write what: conversations, inboxes, senders, groups,
// revoked and idle-expired tokens; and where secrets may (not) end up: MariaDB, grants, logs.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <chrono>
#include <future>
#include <string>
#include <tuple>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/LogScan.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

std::vector<std::string> gSecrets;  // every password and token this binary used

class Authorization : public ::testing::Test {
 protected:
  TestUser user(const std::string& prefix) {
    TestUser u = api_.newUser(prefix);
    gSecrets.push_back(u.password);
    gSecrets.push_back(u.token);
    return u;
  }
  std::vector<std::string> bodiesOf(const HttpResponse& r) const {
    std::vector<std::string> bodies;
    const auto messages = parseObject(r.body)->getArray("messages");
    for (size_t i = 0; i < messages->size(); ++i) {
      bodies.push_back(messages->getObject(static_cast<unsigned>(i))->getValue<std::string>("body"));
    }
    return bodies;
  }
  std::string createGroup(const TestUser& owner, const std::vector<int64_t>& members) {
    std::string list;
    for (int64_t m : members) list += (list.empty() ? "" : ",") + std::to_string(m);
    const HttpResponse r = api_.http().post("/im/groups", "{\"name\":\"authz\",\"members\":[" + list + "]}", owner.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::to_string(parseObject(r.body)->getValue<int64_t>("group_id"));
  }
  // Every authenticated route, each with a request that would succeed for a valid token.
  std::vector<std::tuple<std::string, std::string, std::string>> authenticatedRoutes(const TestUser& peer,
                                                                                     const std::string& group) const {
    const std::string id = std::to_string(peer.id);
    return {{"POST", "/im/send", "{\"to\":" + id + ",\"body\":\"should not be stored\"}"},
            {"GET", "/im/poll?since=0&timeout=0", ""},
            {"GET", "/im/history?with=" + id, ""},
            {"GET", "/im/online", ""},
            {"POST", "/im/groups", "{\"name\":\"nope\"}"},
            {"GET", "/im/groups", ""},
            {"GET", "/im/groups/" + group, ""},
            {"POST", "/im/groups/" + group + "/join", ""},
            {"POST", "/im/groups/" + group + "/leave", ""},
            {"PATCH", "/im/groups/" + group, "{\"name\":\"renamed\"}"},
            {"POST", "/im/groups/" + group + "/members", "{\"user_ids\":[" + id + "]}"},
            {"PATCH", "/im/groups/" + group + "/members/" + id, "{\"role\":\"admin\"}"},
            {"DELETE", "/im/groups/" + group + "/members/" + id, ""},
            {"POST", "/im/logout", ""}};
  }
  long long writes() const {
    return stack_.sqlCount("SELECT (SELECT COUNT(*) FROM messages) + (SELECT COUNT(*) FROM chat_groups) * 1000000 + "
                           "(SELECT COUNT(*) FROM group_members) * 1000 + (SELECT COUNT(revoked_at) FROM sessions) * 100000000");
  }
  void expectEveryRouteIs401(const std::string& token, const TestUser& peer, const std::string& group,
                             const std::string& why) {
    const long long before = writes();
    for (const auto& [method, target, body] : authenticatedRoutes(peer, group)) {
      const HttpResponse r = api_.http().request(
          method, target, body, {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
      EXPECT_TRUE(IsApiError(r, 401, "unauthorized")) << why << ": " << method << " " << target;
    }
    EXPECT_EQ(writes(), before) << why << ": a refused request wrote something";
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(Authorization, OnlyParticipantsReadADirectConversation) {
  const TestUser a = user("az_a"), b = user("az_b"), c = user("az_c");
  api_.sendOk(a.token, b.id, "a to b secret");
  api_.sendOk(b.token, a.id, "b to a secret");
  api_.sendOk(c.token, a.id, "c to a");
  // with=A for C is C<->A: it never contains A<->B messages.
  const HttpResponse ca = api_.history(c.token, a.id);
  ASSERT_EQ(ca.status, 200) << ca.body;
  EXPECT_EQ(bodiesOf(ca), std::vector<std::string>{"c to a"});
  const HttpResponse cb = api_.history(c.token, b.id);
  ASSERT_EQ(cb.status, 200) << cb.body;
  EXPECT_TRUE(bodiesOf(cb).empty());
  // ... while A and B each see both of theirs.
  EXPECT_EQ(bodiesOf(api_.history(a.token, b.id)).size(), 2u);
  EXPECT_EQ(bodiesOf(api_.history(b.token, a.id)).size(), 2u);
}

TEST_F(Authorization, APollShowsOnlyTheCallersOwnInbox) {
  const TestUser a = user("az_a"), b = user("az_b"), c = user("az_c");
  // C holds a long poll while A writes to B: it must not be woken with their message.
  auto held = std::async(std::launch::async, [&] { return api_.poll(c.token, 0, 2); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, std::chrono::seconds(5)));
  api_.sendOk(a.token, b.id, "for b only");
  const PollResult cPoll = held.get();
  ASSERT_EQ(cPoll.status, 200) << cPoll.raw;
  EXPECT_TRUE(cPoll.messages.empty()) << cPoll.raw;
  EXPECT_EQ(cPoll.raw.find("for b only"), std::string::npos);
  // Whatever `since` C passes, it reads its own inbox.
  for (int64_t since : {0, 1, 2}) {
    const PollResult r = api_.poll(c.token, since, 0);
    EXPECT_EQ(r.raw.find("for b only"), std::string::npos) << since;
  }
  const PollResult bPoll = api_.poll(b.token, 0, 0);
  ASSERT_EQ(bPoll.messages.size(), 1u);
  EXPECT_EQ(bPoll.messages[0].from, a.id);
}

TEST_F(Authorization, TheSenderIsAlwaysTheTokensUserAFromFieldIsIgnored) {
  const TestUser a = user("az_a"), b = user("az_b"), c = user("az_c");
  const HttpResponse r = api_.http().post(
      "/im/send", "{\"to\":" + std::to_string(b.id) + ",\"from\":" + std::to_string(a.id) +
                      ",\"from_name\":\"" + a.name + "\",\"body\":\"forged?\"}", c.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const int64_t id = parseObject(r.body)->getValue<int64_t>("msg_id");
  EXPECT_EQ(stack_.sqlCount("SELECT sender_id FROM messages WHERE id = " + std::to_string(id)), c.id);
  const PollResult bPoll = api_.poll(b.token, 0, 0);
  ASSERT_EQ(bPoll.messages.size(), 1u);
  EXPECT_EQ(bPoll.messages[0].from, c.id);
  EXPECT_NE(bPoll.raw.find("\"from_name\":\"" + c.name + "\""), std::string::npos);
  EXPECT_TRUE(bodiesOf(api_.history(a.token, b.id)).empty()) << "the message landed in A<->B";
}

TEST_F(Authorization, ANonMemberCannotPostToReadOrListAGroup) {
  const TestUser a = user("az_a"), b = user("az_b"), c = user("az_c");
  const std::string g = createGroup(a, {b.id});
  api_.http().post("/im/send", "{\"group\":" + g + ",\"body\":\"members only\"}", a.token);
  const long long messages = stack_.sqlCount("SELECT COUNT(*) FROM messages");
  EXPECT_TRUE(IsApiError(api_.http().post("/im/send", "{\"group\":" + g + ",\"body\":\"let me in\"}", c.token), 403, "forbidden"));
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages"), messages);
  EXPECT_TRUE(IsApiError(api_.http().get("/im/history?group=" + g, c.token), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/groups/" + g, c.token), 403, "forbidden"));
  const HttpResponse list = api_.http().get("/im/groups", c.token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(parseObject(list.body)->getArray("groups")->size(), 0u);
  EXPECT_EQ(api_.poll(c.token, 0, 0).raw.find("members only"), std::string::npos);
  // A member who leaves is a non-member from then on.
  ASSERT_EQ(api_.http().post("/im/groups/" + g + "/leave", "", b.token).status, 204);
  EXPECT_TRUE(IsApiError(api_.http().post("/im/send", "{\"group\":" + g + ",\"body\":\"gone\"}", b.token), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/history?group=" + g, b.token), 403, "forbidden"));
}

TEST_F(Authorization, ARevokedTokenIs401OnEveryAuthenticatedRoute) {
  const TestUser a = user("az_a"), b = user("az_b");
  const std::string g = createGroup(a, {b.id});
  const std::string phone = api_.loginToken(a.name, a.password, "phone");
  gSecrets.push_back(phone);
  ASSERT_EQ(api_.logout(a.token).status, 204);
  expectEveryRouteIs401(a.token, b, g, "revoked");
  EXPECT_EQ(api_.poll(phone, 0, 0).status, 200) << "logout revoked another device's token";
}

TEST_F(Authorization, ATokenIdleForLongerThan30DaysExpiresAndAFreshLoginWorks) {
  const TestUser a = user("az_a"), b = user("az_b");
  const std::string g = createGroup(a, {b.id});
  const auto age = [&](const std::string& token, int days) {
    stack_.sql("UPDATE sessions SET last_used_at = UTC_TIMESTAMP(3) - INTERVAL " + std::to_string(days) +
               " DAY WHERE token_hash = UNHEX(SHA2('" + token + "', 256))");
    // Days passing would have expired the token cache's entry (at most a minute) too.
    stack_.redisCli({"DEL", "im:auth:" + stack_.sql("SELECT SHA2('" + token + "', 256)").at(0)});
  };
  age(a.token, 29);  // idle, but within auth.token_idle_days (30)
  EXPECT_EQ(api_.http().get("/im/groups", a.token).status, 200);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX(SHA2('" + a.token +
                            "', 256)) AND last_used_at > UTC_TIMESTAMP(3) - INTERVAL 1 HOUR"),
            1)
      << "using a token idle for 29 days did not restart its idle clock";
  age(a.token, 31);
  expectEveryRouteIs401(a.token, b, g, "idle 31 days");
  const std::string fresh = api_.loginToken(a.name, a.password);
  gSecrets.push_back(fresh);
  EXPECT_EQ(api_.http().get("/im/groups", fresh).status, 200);
  EXPECT_EQ(api_.send(fresh, b.id, "back again").status, 200);
  EXPECT_TRUE(IsApiError(api_.http().get("/im/groups", a.token), 401, "unauthorized")) << "the old token came back";
}

TEST_F(Authorization, MariaDbHoldsOnlyTokenHashesAndPasswordHashes) {
  const TestUser a = user("az_a");
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX(SHA2('" + a.token + "', 256))"), 1);
  EXPECT_EQ(stack_.sqlCount("SELECT MAX(LENGTH(token_hash)) FROM sessions"), 32);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM sessions WHERE INSTR(token_hash, '" + a.token + "') > 0 OR device = '" +
                            a.token + "'"), 0);
  const auto hash = stack_.sql("SELECT password_hash FROM users WHERE id = " + std::to_string(a.id)).at(0);
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_EQ(hash.find(a.password), std::string::npos);
}

TEST_F(Authorization, TheServiceAccountHasOnlyDataPrivilegesOnItsOwnDatabase) {
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    const auto grants = stack_.sql("SHOW GRANTS FOR 'im'@'" + host + "'");
    ASSERT_FALSE(grants.empty());
    for (const std::string& grant : grants) {
      const bool usage = grant.rfind("GRANT USAGE ON *.* TO", 0) == 0;
      const bool data = grant.rfind("GRANT SELECT, INSERT, UPDATE, DELETE ON `im`.* TO", 0) == 0;
      EXPECT_TRUE(usage || data) << "unexpected grant: " << grant;
      EXPECT_EQ(grant.find("WITH GRANT OPTION"), std::string::npos) << grant;
    }
  }
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM mysql.user WHERE user = 'im' AND (Super_priv = 'Y' OR File_priv = 'Y' "
                            "OR Grant_priv = 'Y' OR Drop_priv = 'Y' OR Create_priv = 'Y')"), 0);
}

// Runs last (gtest keeps definition order): every secret of the run, against every log.
TEST_F(Authorization, ZzLogsNeverContainAPasswordOrToken) {
  ASSERT_FALSE(gSecrets.empty());
  EXPECT_TRUE(LogsContainNone(stack_.varDir(), gSecrets));
}

}  // namespace
}  // namespace im::test
