// SPDX-License-Identifier: MIT
// HostileInputTest.cc - tables of hostile requests against every endpoint through nginx: each gets
// its exact API.md JSON error, leaks nothing into response headers, and changes nothing in MariaDB.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include "tests/integration/HostileInput.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/LogScan.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

TEST_F(HostileInput, MalformedJsonIs400OnEveryJsonEndpoint) {
  std::vector<Hostile> cases;
  for (const std::string& ep : jsonEndpoints_) {
    const auto valid = [&] { return validBody(ep); };
    const auto dropLast = [](std::string s) { s.pop_back(); return s; };
    const auto open = [](std::string s) { return s.substr(0, s.size() - 1); };
    const std::vector<std::pair<std::string, std::string>> variants = {
        {"empty body", ""}, {"spaces", "   "}, {"lone brace", "{"}, {"closing brace", "}"}, {"array", "[]"},
        {"null", "null"}, {"number", "42"}, {"string", "\"x\""}, {"true", "true"},
        {"truncated", dropLast(valid())}, {"trailing garbage", valid() + " x"}, {"two objects", valid() + "{}"},
        {"trailing comma", open(valid()) + ",}"}, {"comment", open(valid()) + "/*c*/}"},
        {"line comment", valid() + "//c"}, {"single quotes", "{'username':'x','password':'correct horse'}"},
        {"unquoted key", "{username:\"x\"}"}, {"missing colon", "{\"a\" 1}"}, {"missing value", "{\"a\":}"},
        {"leading zero", open(valid()) + ",\"n\":01}"}, {"hex number", open(valid()) + ",\"n\":0x10}"},
        {"NaN", open(valid()) + ",\"n\":NaN}"}, {"Infinity", open(valid()) + ",\"n\":Infinity}"},
        {"lone minus", open(valid()) + ",\"n\":-}"}, {"bad escape", open(valid()) + ",\"s\":\"\\x41\"}"},
        {"short \\u escape", open(valid()) + ",\"s\":\"\\u12\"}"}, {"unterminated string", open(valid()) + ",\"s\":\"abc}"},
        {"bad literal", open(valid()) + ",\"b\":tru}"}, {"raw tab in string", open(valid()) + ",\"s\":\"a\tb\"}"},
        {"raw control char in string", open(valid()) + ",\"s\":\"a\x01" "b\"}"},
        {"raw NUL in string", open(valid()) + ",\"s\":\"a" + std::string(1, '\0') + "b\"}"},
        {"NUL after the object", valid() + std::string(1, '\0')}, {"NUL before the object", std::string(1, '\0') + valid()},
        {"unbalanced array", open(valid()) + ",\"a\":[1,2}"}, {"mismatched brackets", open(valid()) + ",\"o\":{\"b\":1]}"},
        {"key without value at end", open(valid()) + ",\"k\"}"}, {"double comma", open(valid()) + ",,\"k\":1}"},
    };
    for (const auto& [name, body] : variants) cases.push_back(post(ep + ": " + name, ep, body));
  }
  expectAll(cases);
}

TEST_F(HostileInput, DeepNestingIs400AndDoesNotCrashAWorker) {
  const auto workersBefore = stack_.fcgiWorkerPids();
  std::vector<Hostile> cases;
  for (const std::string& ep : jsonEndpoints_) {
    std::string open = validBody(ep);
    open.pop_back();
    cases.push_back(post(ep + ": 9 deep (limit 8) in an ignored field", ep, open + ",\"x\":" + repeat("[", 8) + repeat("]", 8) + "}"));
    cases.push_back(post(ep + ": arrays 100 deep", ep, open + ",\"x\":" + repeat("[", 100) + repeat("]", 100) + "}"));
    cases.push_back(post(ep + ": objects 100 deep", ep, open + ",\"x\":" + repeat("{\"a\":", 100) + "1" + repeat("}", 100) + "}"));
    cases.push_back(post(ep + ": arrays 10000 deep", ep, open + ",\"x\":" + repeat("[", 10000) + repeat("]", 10000) + "}"));
    cases.push_back(post(ep + ": unclosed arrays 30000 deep", ep, repeat("[", 30000)));
    cases.push_back(post(ep + ": unclosed objects 10000 deep", ep, repeat("{\"a\":", 10000)));
  }
  expectAll(cases);
  EXPECT_EQ(stack_.http().get("/im/health").status, 200);
  auto workersAfter = stack_.fcgiWorkerPids();
  std::sort(workersAfter.begin(), workersAfter.end());
  auto expected = workersBefore;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(workersAfter, expected) << "an fcgi worker died (and was replaced) during the deep-nesting table";
}

TEST_F(HostileInput, HugeBodiesAreRefusedByNginxAsJson413) {
  const std::vector<std::string> posts = {"/im/register", "/im/login",  "/im/logout",        "/im/send",
                                          "/im/groups",   "/im/groups/" + world_.g1 + "/join", "/im/groups/" + world_.g1 + "/leave"};
  const std::string port = std::to_string(stack_.http().port());
  std::vector<Hostile> cases;
  for (const std::string& target : posts) {
    for (const size_t bytes : {size_t{64 * 1024 + 1}, size_t{70 * 1024}, size_t{1024 * 1024}}) {
      const std::string body = "{\"body\":\"" + std::string(bytes - 11, 'x') + "\"}";
      cases.push_back(post(target + ": " + std::to_string(bytes) + " bytes", target, body, 413, "too_large"));
    }
    // Chunked: no Content-Length for nginx to refuse up front; it counts while reading.
    std::string chunked = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port +
                          "\r\nAuthorization: Bearer " + world_.alice.token +
                          "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    const std::string chunk(64 * 1024, 'y');
    for (int i = 0; i < 16; ++i) chunked += "10000\r\n" + chunk + "\r\n";
    chunked += "0\r\n\r\n";
    cases.push_back({target + ": 1 MiB chunked", "", "", "", {}, 413, "too_large", chunked});
  }
  // A body-less GET route with a huge body: refused before routing, too.
  cases.push_back({"GET /im/health with a 1 MiB body", "GET", "/im/health", std::string(1024 * 1024, 'z'), {}, 413, "too_large", ""});
  expectAll(cases);
}

TEST_F(HostileInput, InvalidUtf8InEveryStringFieldIs400) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"0xFF", "\xff"}, {"0xFE", "\xfe"}, {"lone continuation", "\x80"}, {"truncated 2-byte", "\xc3"},
      {"truncated 3-byte", "\xe2\x82"}, {"surrogate D800", "\xed\xa0\x80"}, {"surrogate DFFF", "\xed\xbf\xbf"},
      {"overlong '/' 2-byte", "\xc0\xaf"}, {"overlong '/' 3-byte", "\xe0\x80\xaf"}, {"overlong '/' 4-byte", "\xf0\x80\x80\xaf"},
      {"overlong NUL", "\xc0\x80"}, {"past U+10FFFF", "\xf4\x90\x80\x80"}, {"5-byte form", "\xf8\x88\x80\x80\x80"},
      {"escaped lone high surrogate", "\\ud800"}, {"escaped lone low surrogate", "\\udc00"},
      {"escaped reversed pair", "\\udc00\\ud800"}, {"escaped high + ASCII", "\\ud800\\u0041"},
  };
  const std::string bob = std::to_string(world_.bob.id);
  // {field, body template with @ where the hostile bytes go (inside a string)}
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> fields = {
      {"register.username", {"/im/register", "{\"username\":\"hj_@\",\"password\":\"correct horse\"}"}},
      {"register.password", {"/im/register", "{\"username\":\"hj_utf\",\"password\":\"correct @ horse\"}"}},
      {"login.username", {"/im/login", "{\"username\":\"" + world_.alice.name + "@\",\"password\":\"x\"}"}},
      {"login.password", {"/im/login", "{\"username\":\"" + world_.alice.name + "\",\"password\":\"" + world_.alice.password + "@\"}"}},
      {"login.device", {"/im/login", "{\"username\":\"" + world_.alice.name + "\",\"password\":\"" + world_.alice.password + "\",\"device\":\"d@\"}"}},
      {"send.body", {"/im/send", "{\"to\":" + bob + ",\"body\":\"a@b\"}"}},
      {"send.client_msg_id", {"/im/send", "{\"to\":" + bob + ",\"body\":\"hi\",\"client_msg_id\":\"c@\"}"}},
      {"groups.name", {"/im/groups", "{\"name\":\"n@\",\"members\":[]}"}},
      {"an ignored field", {"/im/send", "{\"to\":" + bob + ",\"body\":\"hi\",\"extra\":\"@\"}"}},
      {"a key", {"/im/send", "{\"to\":" + bob + ",\"body\":\"hi\",\"k@\":1}"}},
  };
  std::vector<Hostile> cases;
  for (const auto& [field, endpointAndBody] : fields) {
    for (const auto& [name, bytes] : bad) {
      std::string body = endpointAndBody.second;
      body.replace(body.find('@'), 1, bytes);
      const bool escapedInIgnoredPlace = bytes[0] == '\\' && (field == "an ignored field" || field == "a key");
      if (escapedInIgnoredPlace) continue;  // an ignored, escaped surrogate is never decoded into our data
      cases.push_back(post(field + ": " + name, endpointAndBody.first, body));
    }
  }
  expectAll(cases);
}

TEST_F(HostileInput, LengthsAreCountedAsApiMdSays) {
  const std::string bob = std::to_string(world_.bob.id);
  const std::string login = "{\"username\":\"" + world_.alice.name + "\",\"password\":\"" + world_.alice.password + "\"";
  const std::string sendTo = "{\"to\":" + bob + ",";
  std::vector<Hostile> cases = {
      post("body: 4001 ASCII", "/im/send", sendTo + "\"body\":\"" + std::string(4001, 'x') + "\"}", 413, "too_large"),
      post("body: 4001 x 2-byte", "/im/send", sendTo + "\"body\":\"" + repeat("\xc3\xa9", 4001) + "\"}", 413, "too_large"),
      post("body: 4001 x 3-byte", "/im/send", sendTo + "\"body\":\"" + repeat("\xe2\x82\xac", 4001) + "\"}", 413, "too_large"),
      post("body: 4001 x 4-byte", "/im/send", sendTo + "\"body\":\"" + repeat("\xf0\x9f\x98\x80", 4001) + "\"}", 413, "too_large"),
      post("body: 4001 escaped pairs", "/im/send", sendTo + "\"body\":\"" + repeat("\\ud83d\\ude00", 4001) + "\"}", 413, "too_large"),
      post("body: 4001 escaped \\u0041", "/im/send", sendTo + "\"body\":\"" + repeat("\\u0041", 4001) + "\"}", 413, "too_large"),
      post("body: empty", "/im/send", sendTo + "\"body\":\"\"}"),
      post("client_msg_id: 65 x 4-byte", "/im/send", sendTo + "\"body\":\"hi\",\"client_msg_id\":\"" + repeat("\xf0\x9f\x98\x80", 65) + "\"}"),
      post("device: 65 x 3-byte", "/im/login", login + ",\"device\":\"" + repeat("\xe2\x82\xac", 65) + "\"}"),
      post("device: a number", "/im/login", login + ",\"device\":7}"),
      post("group name: 65 x 2-byte", "/im/groups", "{\"name\":\"" + repeat("\xc3\xa9", 65) + "\"}"),
      post("group name: empty", "/im/groups", "{\"name\":\"\"}"),
      post("group name: a number", "/im/groups", "{\"name\":5}"),
      post("group: 2001 members", "/im/groups", "{\"name\":\"big\",\"members\":[" + repeat(bob + ",", 2000) + bob + "]}", 413, "too_large"),
      post("members: not an array", "/im/groups", "{\"name\":\"g\",\"members\":\"" + bob + "\"}"),
      post("members: an object", "/im/groups", "{\"name\":\"g\",\"members\":{\"a\":" + bob + "}}"),
      post("username: 33 chars", "/im/register", "{\"username\":\"" + std::string(33, 'a') + "\",\"password\":\"correct horse\"}"),
      post("username: 3 x 2-byte", "/im/register", "{\"username\":\"\xc3\xa9\xc3\xa9\xc3\xa9\",\"password\":\"correct horse\"}"),
      post("username: NUL", "/im/register", "{\"username\":\"hj_\\u0000x\",\"password\":\"correct horse\"}"),
      post("username: upper case", "/im/register", "{\"username\":\"HJ_upper\",\"password\":\"correct horse\"}"),
      post("username: fullwidth", "/im/register", "{\"username\":\"\xef\xbd\x81\xef\xbd\x82\xef\xbd\x83\",\"password\":\"correct horse\"}"),
      post("password: 7 bytes", "/im/register", "{\"username\":\"hj_pw7\",\"password\":\"1234567\"}"),
      post("password: 33 x 4-byte (132 bytes)", "/im/register", "{\"username\":\"hj_pw4\",\"password\":\"" + repeat("\xf0\x9f\x98\x80", 33) + "\"}"),
      post("password: null", "/im/register", "{\"username\":\"hj_pwnull\",\"password\":null}"),
      post("password: array", "/im/register", "{\"username\":\"hj_pwarr\",\"password\":[\"correct horse\"]}"),
  };
  expectAll(cases);
}

TEST_F(HostileInput, IllFormedIdsInBodiesAre400OrAnUnknownIs404) {
  const std::vector<std::string> bad = {"0", "-1", "-0", "1.5", "1.0", "\"1\"", "1e3", "1E2", k2p64, kHuge,
                                        "-9223372036854775809", "true", "false", "[]", "{}", "[1]", "\"\""};
  std::vector<Hostile> cases;
  for (const std::string& v : bad) {
    cases.push_back(post("send to=" + v, "/im/send", "{\"to\":" + v + ",\"body\":\"hi\"}"));
    cases.push_back(post("send group=" + v, "/im/send", "{\"group\":" + v + ",\"body\":\"hi\"}"));
    cases.push_back(post("group members=[" + v + "]", "/im/groups", "{\"name\":\"g\",\"members\":[" + v + "]}"));
  }
  for (const std::string& v : std::vector<std::string>{k2p63, k2p64m1, "999999999"}) {  // well-formed, nobody
    cases.push_back(post("send to=" + v, "/im/send", "{\"to\":" + v + ",\"body\":\"hi\"}", 404, "not_found"));
    cases.push_back(post("send group=" + v, "/im/send", "{\"group\":" + v + ",\"body\":\"hi\"}", 404, "not_found"));
    cases.push_back(post("group members=[" + v + "]", "/im/groups", "{\"name\":\"g\",\"members\":[" + v + "]}", 404, "not_found"));
  }
  const std::string bob = std::to_string(world_.bob.id);
  cases.push_back(post("send to and group", "/im/send", "{\"to\":" + bob + ",\"group\":" + world_.g1 + ",\"body\":\"hi\"}"));
  cases.push_back(post("send neither", "/im/send", "{\"body\":\"hi\"}"));
  cases.push_back(post("send to=null", "/im/send", "{\"to\":null,\"body\":\"hi\"}"));
  cases.push_back(post("send body=null", "/im/send", "{\"to\":" + bob + ",\"body\":null}"));
  cases.push_back(post("send body=array", "/im/send", "{\"to\":" + bob + ",\"body\":[\"hi\"]}"));
  cases.push_back(post("send to group alice is not in", "/im/send", "{\"group\":" + world_.g2 + ",\"body\":\"hi\"}", 403, "forbidden"));
  expectAll(cases);
}

TEST_F(HostileInput, IllFormedQueryAndPathIdsAre400Or404) {
  const std::vector<std::string> bad = {"0", "-1", "1.5", "1e3", "abc", "", "%20" "1", "1%20", "+1", "0x1", k2p64, kHuge,
                                        "1%20OR%201=1", "1'%20OR%20'1'='1", "1;DROP%20TABLE%20users", "%00", "1%00", "%ff",
                                        "1%0d%0aX-Injected:%201", "%zz", "%"};
  const std::string bob = std::to_string(world_.bob.id);
  std::vector<Hostile> cases;
  for (const std::string& v : bad) {
    if (v != "0") cases.push_back(get("poll since=" + v, "/im/poll?timeout=0&since=" + v));
    cases.push_back(get("history with=" + v, "/im/history?with=" + v));
    cases.push_back(get("history group=" + v, "/im/history?group=" + v));
    cases.push_back(get("history before=" + v, "/im/history?with=" + bob + "&before=" + v));
    cases.push_back(get("history limit=" + v, "/im/history?with=" + bob + "&limit=" + v));
    if (v != "0") cases.push_back(get("poll timeout=" + v, "/im/poll?since=0&timeout=" + v));
    cases.push_back(get("poll limit=" + v, "/im/poll?since=0&timeout=0&limit=" + v));
  }
  for (const std::string& q : std::vector<std::string>{"timeout=61", "limit=501", "timeout=99999999999"}) {
    cases.push_back(get("poll " + q, "/im/poll?since=0&" + q));
  }
  cases.push_back(get("history limit=201", "/im/history?with=" + bob + "&limit=201"));
  cases.push_back(get("history with and group", "/im/history?with=" + bob + "&group=" + world_.g1));
  cases.push_back(get("history with neither", "/im/history"));
  for (const std::string& v : std::vector<std::string>{k2p63, k2p64m1}) {
    cases.push_back(get("history with=" + v, "/im/history?with=" + v, 404, "not_found"));
    cases.push_back(get("history group=" + v, "/im/history?group=" + v, 404, "not_found"));
    cases.push_back(get("GET group " + v, "/im/groups/" + v, 404, "not_found"));
    cases.push_back(post("join group " + v, "/im/groups/" + v + "/join", "", 404, "not_found"));
    cases.push_back(post("leave group " + v, "/im/groups/" + v + "/leave", "", 404, "not_found"));
  }
  // Read-only and well-formed: accepted, and still nothing is written.
  cases.push_back(get("history before=2^63", "/im/history?with=" + bob + "&before=" + k2p63, 200, ""));
  cases.push_back(get("history of group alice is not in", "/im/history?group=" + world_.g2, 403, "forbidden"));
  cases.push_back(get("GET group alice is not in", "/im/groups/" + world_.g2, 403, "forbidden"));
  // A path id that is not a positive 64-bit decimal matches no route.
  for (const std::string& v : std::vector<std::string>{"0", "-1", "1.5", "abc", "1e3", k2p64, kHuge, "%20" "1", "1%00", "0x1", "1;DROP"}) {
    // nginx itself refuses a NUL byte in a URI (400, JSON page).
    const int status = v == "1%00" ? 400 : 404;
    const std::string code = v == "1%00" ? "bad_request" : "not_found";
    cases.push_back(get("GET group " + v, "/im/groups/" + v, status, code));
    cases.push_back(post("join group " + v, "/im/groups/" + v + "/join", "", status, code));
    cases.push_back(post("leave group " + v, "/im/groups/" + v + "/leave", "", status, code));
  }
  expectAll(cases);
}

TEST_F(HostileInput, SqlInjectionInNamesAndPasswordsNeverLogsAnyoneIn) {
  const std::vector<std::string> injections = {
      "' OR '1'='1", "' OR 1=1 -- ", "admin'--", "\" OR \"\"=\"", "'; DROP TABLE users; --", "1' UNION SELECT * FROM sessions --",
      "' OR username LIKE '%", "\\'; DELETE FROM messages; --", "hi_alice' #", "%' AND SLEEP(5) AND '%'='"};
  std::vector<Hostile> cases;
  for (const std::string& s : injections) {
    cases.push_back(post("register username " + s, "/im/register", "{\"username\":" + quote(s) + ",\"password\":\"correct horse\"}"));
    cases.push_back(post("login username " + s, "/im/login", "{\"username\":" + quote(s) + ",\"password\":" + quote(s) + "}", 401, "unauthorized"));
    // Rotating victims: each stays under limits.login_per_account (10 attempts a window).
    const TestUser& victim = cases.size() % 2 == 0 ? world_.bob : world_.carol;
    cases.push_back(post("login " + victim.name + ", password " + s, "/im/login",
                         "{\"username\":\"" + victim.name + "\",\"password\":" + quote(s) + "}", 401, "unauthorized"));
  }
  expectAll(cases);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM users WHERE username NOT REGEXP '^[a-z0-9_]{3,32}$'"), 0);
}

TEST_F(HostileInput, WrongMethodsOnEveryRouteAre405Json) {
  const std::string g = "/im/groups/" + world_.g1;
  const std::vector<std::pair<std::string, std::set<std::string>>> routes = {
      {"/im/register", {"POST"}}, {"/im/login", {"POST"}}, {"/im/logout", {"POST"}}, {"/im/send", {"POST"}},
      {"/im/poll", {"GET"}}, {"/im/history", {"GET"}}, {"/im/online", {"GET"}}, {"/im/groups", {"GET", "POST"}},
      {g, {"GET", "PATCH"}}, {g + "/join", {"POST"}}, {g + "/leave", {"POST"}}, {"/im/health", {"GET"}},
      {g + "/members", {"POST"}}, {g + "/members/" + std::to_string(world_.bob.id), {"DELETE", "PATCH"}}};
  std::vector<Hostile> cases;
  for (const auto& [path, allowed] : routes) {
    for (const std::string& method : std::vector<std::string>{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"}) {
      if (allowed.count(method) != 0) continue;
      const std::string body = method == "GET" ? "" : "{}";
      cases.push_back({method + " " + path, method, path, body, auth(), 405, "method_not_allowed", ""});
    }
    const std::string port = std::to_string(stack_.http().port());
    cases.push_back({"TRACE " + path, "", "", "", {}, 405, "method_not_allowed",
                     "TRACE " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n"});
  }
  expectAll(cases);
}

TEST_F(HostileInput, UnknownRoutesAre404Json) {
  std::vector<Hostile> cases;
  for (const std::string& path : std::vector<std::string>{
           "/im/Send", "/im/send/", "/im/send.php", "/im/groups/1/delete", "/im/groups/1/join/x",
           "/im/groups//join", "/im/user", "/im/users/1", "/im/admin", "/im/poll/extra", "/im/.env", "/im/health%0d%0aX-Injected:%201",
           "/im/groups/" + world_.g1 + "/members/0", "/im/groups/" + world_.g1 + "/members/1/x",
           "/im/groups/" + world_.g1 + "/member"}) {
    cases.push_back(get("GET " + path, path, 404, "not_found"));
    cases.push_back(post("POST " + path, path, "{}", 404, "not_found"));
  }
  // nginx refuses a NUL byte in a URI itself (JSON 400), and merges slashes: /im//send is /im/send.
  cases.push_back(get("GET /im/send%00", "/im/send%00", 400, "bad_request"));
  cases.push_back(post("POST /im/send%00", "/im/send%00", "{}", 400, "bad_request"));
  cases.push_back(get("GET /im//send", "/im//send", 405, "method_not_allowed"));
  cases.push_back(post("POST /im//send {}", "/im//send", "{}", 400, "bad_request"));
  expectAll(cases);
}

TEST_F(HostileInput, MissingForgedAndMalformedTokensAre401OnEveryAuthenticatedRoute) {
  const std::string token = world_.alice.token;
  std::string flipped = token;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  std::mt19937 rng(7);
  std::string lookalike;
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < token.size(); ++i) lookalike.push_back(alphabet[rng() % alphabet.size()]);
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"no header", ""}, {"'Bearer'", "Bearer"}, {"'Bearer ' + spaces", "Bearer    "}, {"Basic", "Basic eDp5"},
      {"other scheme", "Token " + token}, {"no scheme", token}, {"tab separator", "Bearer\t" + token},
      {"one char short", "Bearer " + token.substr(0, token.size() - 1)}, {"one char long", "Bearer " + token + "A"},
      {"one char flipped", "Bearer " + flipped}, {"random look-alike", "Bearer " + lookalike},
      {"SQL injection", "Bearer ' OR '1'='1"}, {"revoked", "Bearer " + world_.revoked},
      {"4 KiB token", "Bearer " + std::string(4096, 'A')}, {"two tokens", "Bearer " + token + " " + token},
      {"hex of the hash", "Bearer " + std::string(64, 'a')},
  };
  const std::string bob = std::to_string(world_.bob.id);
  const std::vector<std::tuple<std::string, std::string, std::string>> routes = {
      {"POST", "/im/logout", ""}, {"POST", "/im/send", "{\"to\":" + bob + ",\"body\":\"hi\"}"},
      {"GET", "/im/poll?since=0&timeout=0", ""}, {"GET", "/im/history?with=" + bob, ""}, {"GET", "/im/online", ""},
      {"POST", "/im/groups", "{\"name\":\"x\"}"}, {"GET", "/im/groups", ""}, {"GET", "/im/groups/" + world_.g1, ""},
      {"POST", "/im/groups/" + world_.g2 + "/join", ""}, {"POST", "/im/groups/" + world_.g1 + "/leave", ""},
      {"GET", "/im/users?prefix=a", ""}, {"GET", "/im/conversations", ""},
      {"POST", "/im/read", "{\"with\":" + bob + ",\"msg_id\":1}"}};
  std::vector<Hostile> cases;
  for (const auto& [method, target, body] : routes) {
    for (const auto& [name, value] : forms) {
      std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
      if (!value.empty()) headers["Authorization"] = value;
      cases.push_back({method + " " + target + ": " + name, method, target, body, headers, 401, "unauthorized", ""});
    }
  }
  expectAll(cases);
}

TEST_F(HostileInput, HeaderInjectionLeaksNothingIntoTheAnswer) {
  const std::string port = std::to_string(stack_.http().port());
  const std::string head = "Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n";
  const auto rawGet = [&](const std::string& target, const std::string& extra) {
    return "GET " + target + " HTTP/1.1\r\n" + head + extra + "\r\n";
  };
  const std::string bearer = "Authorization: Bearer " + world_.alice.token + "\r\n";
  std::vector<Hostile> cases = {
      {"CRLF after a forged token", "", "", "", {}, 401, "unauthorized", rawGet("/im/online", "Authorization: Bearer x\r\nX-Injected: 1\r\n")},
      {"CRLF in a query value", "", "", "", {}, 400, "bad_request", rawGet("/im/poll?since=0%0d%0aX-Injected:%201&timeout=0", bearer)},
      {"LF in a query value", "", "", "", {}, 400, "bad_request", rawGet("/im/history?with=1%0aX-Injected:%201", bearer)},
      {"CRLF in a path", "", "", "", {}, 404, "not_found", rawGet("/im/online%0d%0aX-Injected:%201", bearer)},
      {"CRLF in the limit of a held poll", "", "", "", {}, 400, "bad_request",
       rawGet("/im/poll?since=0&timeout=1&limit=1%0d%0aX-Accel-Redirect:%20/im-pushd/x", bearer)},
      {"client-sent X-Accel-Redirect is not obeyed", "", "", "", {}, 401, "unauthorized",
       rawGet("/im/online", "X-Accel-Redirect: /im-pushd/127.0.0.1:1/hold?uid=1\r\n")},
      {"client-sent IM_FAILED_NODE header", "", "", "", {}, 401, "unauthorized", rawGet("/im/online", "Im-Failed-Node: 127.0.0.1:1\r\n")},
      // Malformed heads: refused by nginx before any location, still as JSON.
      {"NUL byte in a header", "", "", "", {}, 400, "bad_request", rawGet("/im/online", std::string("X-A: a\0b\r\n", 11))},
      {"header line without a colon (nginx ignores it)", "", "", "", {}, 401, "unauthorized", rawGet("/im/online", "NoColonHere\r\n")},
      {"HTTP/1.1 without Host", "", "", "", {}, 400, "bad_request", "GET /im/online HTTP/1.1\r\nConnection: close\r\n\r\n"},
      {"garbage request line", "", "", "", {}, 400, "bad_request", "GET /im/online HTTP/9.Z\r\n" + head + "\r\n"},
      {"20 KiB header", "", "", "", {}, 400, "bad_request", rawGet("/im/online", "X-Big: " + std::string(20 * 1024, 'b') + "\r\n")},
  };
  expectAll(cases);
}

}  // namespace
}  // namespace im::test
