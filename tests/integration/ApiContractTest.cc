// SPDX-License-Identifier: MIT
// ApiContractTest.cc - shared/API.md row by row against the real stack: accounts, tokens, routes,
// and every bad-input row of the error table, each checking that nothing was written.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

class ApiContract : public ::testing::Test {
 protected:
  long long rows(const std::string& table) const { return stack_.sqlCount("SELECT COUNT(*) FROM " + table); }
  HttpResponse rawPost(const std::string& target, const std::string& body, const std::string& token) const {
    return api_.http().request("POST", target, body,
                               {{"Content-Type", "application/json; charset=utf-8"},
                                {"Authorization", "Bearer " + token}});
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(ApiContract, HealthAnswersOkWhenMySqlAndRedisAnswer) {
  const HttpResponse r = api_.http().get("/im/health");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(IsJson(r));
  EXPECT_EQ(parseObject(r.body)->getValue<std::string>("status"), "ok");
}

TEST_F(ApiContract, RegisterCreatesTheUserAndAnswers201) {
  const HttpResponse r = api_.registerUser("reg_alice", "correct horse");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(IsJson(r));
  const auto body = parseObject(r.body);
  EXPECT_GT(body->getValue<int64_t>("user_id"), 0);
  EXPECT_EQ(body->getValue<std::string>("username"), "reg_alice");
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM users WHERE username = 'reg_alice'"), 1);
}

TEST_F(ApiContract, RegisterWithATakenNameIs409Conflict) {
  ASSERT_EQ(api_.registerUser("reg_taken", "correct horse").status, 201);
  EXPECT_TRUE(IsApiError(api_.registerUser("reg_taken", "another password"), 409, "conflict"));
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM users WHERE username = 'reg_taken'"), 1);
}

TEST_F(ApiContract, RegisterRejectsBadUsernamesWith400AndWritesNothing) {
  const long long before = rows("users");
  const std::vector<std::string> names = {"ab", std::string(33, 'a'), "Alice", "al ice", "al-ice", "", "al\xc3\xa9"};
  for (const std::string& name : names) {
    EXPECT_TRUE(IsApiError(api_.registerUser(name, "correct horse"), 400, "bad_request")) << "username '" << name << "'";
  }
  EXPECT_EQ(rows("users"), before);
}

TEST_F(ApiContract, RegisterRejectsBadPasswordsWith400AndWritesNothing) {
  const long long before = rows("users");
  EXPECT_TRUE(IsApiError(api_.registerUser("reg_shortpw", "1234567"), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(api_.registerUser("reg_longpw", std::string(129, 'p')), 400, "bad_request"));
  EXPECT_EQ(rows("users"), before);
  // The bounds themselves are allowed.
  EXPECT_EQ(api_.registerUser("reg_pw8", "12345678").status, 201);
  EXPECT_EQ(api_.registerUser("reg_pw128", std::string(128, 'p')).status, 201);
}

TEST_F(ApiContract, RegisterRejectsMalformedAndIllTypedBodiesWith400) {
  const auto post = [&](const std::string& body) { return api_.http().post("/im/register", body); };
  const long long before = rows("users");
  EXPECT_TRUE(IsApiError(post("{\"username\":\"reg_x\","), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(post("[]"), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(post("{\"username\":\"reg_x\"}"), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(post("{\"username\":42,\"password\":\"correct horse\"}"), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(post("{\"username\":\"reg_x\",\"password\":12345678}"), 400, "bad_request"));
  EXPECT_EQ(rows("users"), before);
}

TEST_F(ApiContract, LoginReturnsATokenForTheUser) {
  const TestUser user = api_.newUser("login");
  const HttpResponse r = api_.login(user.name, user.password, "laptop");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(IsJson(r));
  const auto body = parseObject(r.body);
  EXPECT_EQ(body->getValue<int64_t>("user_id"), user.id);
  EXPECT_EQ(body->getValue<std::string>("username"), user.name);
  // >= 128 random bits in any sane encoding is at least 22 characters.
  EXPECT_GE(body->getValue<std::string>("token").size(), 22u);
}

TEST_F(ApiContract, WrongPasswordAndUnknownUserAre401WithTheSameMessage) {
  const TestUser user = api_.newUser("login");
  const HttpResponse wrong = api_.login(user.name, "not the password");
  const HttpResponse unknown = api_.login("nobody_here", "not the password");
  ASSERT_TRUE(IsApiError(wrong, 401, "unauthorized"));
  ASSERT_TRUE(IsApiError(unknown, 401, "unauthorized"));
  EXPECT_EQ(parseObject(wrong.body)->getValue<std::string>("message"),
            parseObject(unknown.body)->getValue<std::string>("message"));
}

TEST_F(ApiContract, LoginRejectsADeviceNameOver64Chars) {
  const TestUser user = api_.newUser("login");
  EXPECT_TRUE(IsApiError(api_.login(user.name, user.password, std::string(65, 'd')), 400, "bad_request"));
  EXPECT_EQ(api_.login(user.name, user.password, std::string(64, 'd')).status, 200);
}

TEST_F(ApiContract, LogoutRevokesTheTokenAtOnce) {
  const TestUser user = api_.newUser("logout");
  const TestUser peer = api_.newUser("logout");
  const std::string other = api_.loginToken(user.name, user.password, "phone");
  const HttpResponse r = api_.logout(user.token);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(IsApiError(api_.send(user.token, peer.id, "after logout"), 401, "unauthorized"));
  const HttpResponse polled = api_.http().get("/im/poll?since=0&timeout=0", user.token);
  EXPECT_TRUE(IsApiError(polled, 401, "unauthorized"));
  EXPECT_TRUE(IsApiError(api_.logout(user.token), 401, "unauthorized"));
  // Only the calling device session is revoked.
  EXPECT_EQ(api_.poll(other, 0, 0).status, 200);
}

TEST_F(ApiContract, MissingOrForgedTokenIs401AndWritesNothing) {
  const TestUser peer = api_.newUser("auth");
  const long long before = rows("messages");
  const std::string body = "{\"to\":" + std::to_string(peer.id) + ",\"body\":\"hi\"}";
  EXPECT_TRUE(IsApiError(api_.http().post("/im/send", body), 401, "unauthorized"));
  EXPECT_TRUE(IsApiError(api_.http().post("/im/send", body, "forged-token-AAAAAAAAAAAAAAAAAAAAAAAA"), 401,
                         "unauthorized"));
  EXPECT_TRUE(IsApiError(api_.http().request("POST", "/im/send", body,
                                             {{"Content-Type", "application/json"}, {"Authorization", "Basic eDp5"}}),
                         401, "unauthorized"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/poll?since=0&timeout=0"), 401, "unauthorized"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/history?with=1", "forged"), 401, "unauthorized"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/online"), 401, "unauthorized"));
  EXPECT_EQ(rows("messages"), before);
}

TEST_F(ApiContract, SendRejectsMalformedJsonMissingAndIllTypedFieldsWith400AndWritesNothing) {
  const TestUser sender = api_.newUser("bad");
  const TestUser peer = api_.newUser("bad");
  const std::string to = std::to_string(peer.id);
  const long long messages = rows("messages");
  const long long inbox = rows("inbox");
  for (const std::string& body : std::vector<std::string>{
           std::string("{\"to\":") + to + ",\"body\":\"hi\"",  // truncated
           std::string("not json at all"),
           std::string(""),
           std::string("[1,2]"),
           std::string("{\"body\":\"hi\"}"),                                  // neither to nor group
           std::string("{\"to\":") + to + "}",                               // no body
           std::string("{\"to\":\"") + to + "\",\"body\":\"hi\"}",           // to as a string
           std::string("{\"to\":") + to + ",\"body\":42}",                   // body as a number
           std::string("{\"to\":") + to + ",\"body\":\"\"}",                 // empty body
           std::string("{\"to\":") + to + ",\"body\":\"hi\",\"client_msg_id\":7}",
           std::string("{\"to\":-1,\"body\":\"hi\"}"),
           std::string("{\"to\":1.5,\"body\":\"hi\"}"),
       }) {
    EXPECT_TRUE(IsApiError(rawPost("/im/send", body, sender.token), 400, "bad_request")) << "body: " << body;
  }
  EXPECT_EQ(rows("messages"), messages);
  EXPECT_EQ(rows("inbox"), inbox);
}

TEST_F(ApiContract, SendRejectsInvalidUtf8With400AndWritesNothing) {
  const TestUser sender = api_.newUser("utf");
  const TestUser peer = api_.newUser("utf");
  const long long before = rows("messages");
  const std::string prefix = "{\"to\":" + std::to_string(peer.id) + ",\"body\":\"";
  for (const std::string& bad : {std::string("\xff"), std::string("\xc3"), std::string("\xed\xa0\x80"),  // surrogate
                                std::string("\xc0\xaf")}) {                                             // overlong
    EXPECT_TRUE(IsApiError(rawPost("/im/send", prefix + "a" + bad + "b\"}", sender.token), 400, "bad_request"));
  }
  EXPECT_EQ(rows("messages"), before);
}

TEST_F(ApiContract, SendBodyLimitCountsCharactersNotBytes) {
  const TestUser sender = api_.newUser("len");
  const TestUser peer = api_.newUser("len");
  std::string exactly4000;  // 4000 characters, 8000 bytes
  for (int i = 0; i < 4000; ++i) exactly4000 += "\xc3\xa9";
  const long long before = rows("messages");
  EXPECT_TRUE(IsApiError(api_.send(sender.token, peer.id, exactly4000 + "x"), 413, "too_large"));
  EXPECT_TRUE(IsApiError(api_.send(sender.token, peer.id, std::string(4001, 'x')), 413, "too_large"));
  EXPECT_EQ(rows("messages"), before);
  EXPECT_EQ(api_.send(sender.token, peer.id, exactly4000).status, 200);
  EXPECT_EQ(api_.send(sender.token, peer.id, std::string(4000, 'x')).status, 200);
}

TEST_F(ApiContract, RequestBodyOver64KiBIsRefusedByNginxAsJson413) {
  const TestUser sender = api_.newUser("huge");
  const TestUser peer = api_.newUser("huge");
  const long long before = rows("messages");
  const std::string body =
      "{\"to\":" + std::to_string(peer.id) + ",\"body\":\"" + std::string(70 * 1024, 'x') + "\"}";
  EXPECT_TRUE(IsApiError(rawPost("/im/send", body, sender.token), 413, "too_large"));
  EXPECT_EQ(rows("messages"), before);
}

TEST_F(ApiContract, ClientMsgIdOver64CharsIs400) {
  const TestUser sender = api_.newUser("cmid");
  const TestUser peer = api_.newUser("cmid");
  const long long before = rows("messages");
  EXPECT_TRUE(IsApiError(api_.send(sender.token, peer.id, "hi", std::string(65, 'c')), 400, "bad_request"));
  EXPECT_EQ(rows("messages"), before);
  EXPECT_EQ(api_.send(sender.token, peer.id, "hi", std::string(64, 'c')).status, 200);
}

TEST_F(ApiContract, SendToAnUnknownUserIs404AndWritesNothing) {
  const TestUser sender = api_.newUser("unknown");
  const long long before = rows("messages");
  EXPECT_TRUE(IsApiError(api_.send(sender.token, 999999999, "hello?"), 404, "not_found"));
  EXPECT_EQ(rows("messages"), before);
}

TEST_F(ApiContract, WrongMethodIs405) {
  const TestUser user = api_.newUser("method");
  EXPECT_TRUE(IsApiError(api_.http().get("/im/send", user.token), 405, "method_not_allowed"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/register"), 405, "method_not_allowed"));
  EXPECT_TRUE(IsApiError(api_.http().post("/im/poll?since=0", "{}", user.token), 405, "method_not_allowed"));
  EXPECT_TRUE(IsApiError(api_.http().request("DELETE", "/im/history?with=1", "", {{"Authorization", "Bearer " + user.token}}),
                         405, "method_not_allowed"));
}

TEST_F(ApiContract, UnknownRouteIs404) {
  const TestUser user = api_.newUser("route");
  EXPECT_TRUE(IsApiError(api_.http().get("/im/nope", user.token), 404, "not_found"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/", user.token), 404, "not_found"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/poll/extra", user.token), 404, "not_found"));
  EXPECT_TRUE(IsApiError(api_.http().get("/im/index.html", user.token), 404, "not_found"));
}

TEST_F(ApiContract, ThePushdHandOverLocationIsNotReachableFromOutside) {
  const std::string node = "127.0.0.1:" + std::to_string(stack_.pushdPorts().at(0));
  const HttpResponse r = api_.http().get("/im-pushd/" + node + "/hold?uid=1&session=1&since=0&timeout=1");
  EXPECT_TRUE(IsApiError(r, 404, "not_found"));
}

TEST_F(ApiContract, PollRejectsBadQueryParametersWith400) {
  const TestUser user = api_.newUser("pollq");
  // Out-of-range values (timeout=61, limit=501) may be clamped; these cannot be read at all.
  for (const std::string& query : std::vector<std::string>{"since=abc", "since=-1", "since=0&timeout=x", "since=0&timeout=-1",
                                  "since=0&limit=ten", "since=1x"}) {
    EXPECT_TRUE(IsApiError(api_.http().get("/im/poll?" + query, user.token), 400, "bad_request")) << query;
  }
}

}  // namespace
}  // namespace im::test
