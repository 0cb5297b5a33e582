// SPDX-License-Identifier: MIT
// HostileAcceptedTest.cc - the hostile inputs API.md allows: stored byte for byte (SQL, CR/LF, NUL),
// or handled one documented way (duplicate keys, unknown fields, Content-Type); then the total count.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/integration/HostileInput.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/LogScan.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

class HostileAccepted : public HostileInput {
 protected:
  // The stored bytes of one column of one row, as hex (no shell or batch escaping involved).
  std::string storedHex(const std::string& column, const std::string& table, const std::string& where) const {
    const auto rows = stack_.sql("SELECT HEX(" + column + ") FROM " + table + " WHERE " + where);
    return rows.empty() ? "<no row>" : rows[0];
  }
  int64_t sendRaw(const std::string& body, const std::string& token = world_.alice.token,
                  const std::string& type = "application/json; charset=utf-8") {
    ++gTried;
    const HttpResponse r = stack_.http().request("POST", "/im/send", body, auth(token, type));
    EXPECT_TRUE(NoInjectedHeader(r));
    if (r.status != 200) {
      ADD_FAILURE() << "send " << body.substr(0, 80) << ": " << r.status << " " << r.body;
      return 0;
    }
    return parseObject(r.body)->getValue<int64_t>("msg_id");
  }
};

const std::vector<std::string> kVerbatim = {
    "'; DROP TABLE messages; --", "Robert'); DROP TABLE users;--", "\" OR \"\"=\"", "1; DELETE FROM inbox",
    "\\'\\\"\\\\", "%' OR '%'='", "x\r\nX-Injected: 1\r\n\r\n<html>", std::string("nul\0byte", 8),
    "\xe2\x80\xae" "gnp.exe", "\xf0\x9f\x98\x80 \xe2\x82\xac \xc3\xa9 \xef\xbb\xbf", "<script>alert(1)</script>", "${jndi:ldap://x}",
};

TEST_F(HostileAccepted, HostileStringsAreStoredVerbatimInBodiesClientMsgIdsDevicesAndGroupNames) {
  const std::string bob = std::to_string(world_.bob.id);
  int n = 0;
  for (const std::string& s : kVerbatim) {
    const std::string cmid = s.substr(0, 40) + "#" + std::to_string(++n);
    const int64_t id = sendRaw("{\"to\":" + bob + ",\"body\":" + quote(s) + ",\"client_msg_id\":" + quote(cmid) + "}");
    EXPECT_EQ(storedHex("body", "messages", "id = " + std::to_string(id)), hex(s)) << s;
    EXPECT_EQ(storedHex("client_msg_id", "messages", "id = " + std::to_string(id)), hex(cmid)) << cmid;

    ++gTried;
    const TestUser& who = n % 2 == 0 ? world_.bob : world_.carol;  // under the per-account login limit
    const HttpResponse login = stack_.http().post(
        "/im/login", "{\"username\":\"" + who.name + "\",\"password\":\"" + who.password + "\",\"device\":" + quote(s) + "}");
    ASSERT_EQ(login.status, 200) << login.body;
    EXPECT_TRUE(NoInjectedHeader(login));
    gSecrets.push_back(parseObject(login.body)->getValue<std::string>("token"));
    EXPECT_EQ(storedHex("device", "sessions", "id = (SELECT MAX(id) FROM sessions)"), hex(s)) << s;

    ++gTried;
    const HttpResponse group = stack_.http().post("/im/groups", "{\"name\":" + quote(s) + "}", world_.alice.token);
    ASSERT_EQ(group.status, 201) << group.body;
    EXPECT_EQ(storedHex("name", "chat_groups", "id = " + std::to_string(parseObject(group.body)->getValue<int64_t>("group_id"))), hex(s));
  }
  // And they come back byte for byte, JSON-escaped, in history; no header is smuggled out.
  const HttpResponse history = stack_.http().get("/im/history?with=" + bob + "&limit=200", world_.alice.token);
  ASSERT_EQ(history.status, 200);
  EXPECT_TRUE(NoInjectedHeader(history));
  EXPECT_EQ(history.body.find('\r'), std::string::npos);
  EXPECT_NE(history.body.find("Robert'); DROP TABLE users;--"), std::string::npos);
  EXPECT_NE(history.body.find("nul\\u0000byte"), std::string::npos);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM users WHERE username NOT REGEXP '^[a-z0-9_]{3,32}$'"), 0);
}

TEST_F(HostileAccepted, ExactlyFourThousandCharactersAreAcceptedWhateverTheirByteLength) {
  const std::string to = "{\"to\":" + std::to_string(world_.bob.id) + ",\"body\":\"";
  for (const std::string& unit : std::vector<std::string>{"x", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                                          "\\ud83d\\ude00", "\\u00e9"}) {
    const int64_t id = sendRaw(to + repeat(unit, 4000) + "\"}");
    EXPECT_EQ(stack_.sqlCount("SELECT CHAR_LENGTH(body) FROM messages WHERE id = " + std::to_string(id)), 4000) << unit;
  }
  // A body padded with JSON whitespace to exactly 64 KiB passes nginx and the worker.
  std::string padded = to + "padded\"}";
  padded.insert(1, std::string(64 * 1024 - padded.size(), ' '));
  EXPECT_GT(sendRaw(padded), 0);
}

TEST_F(HostileAccepted, DuplicateKeysTheLastOneWins) {
  const std::string bob = std::to_string(world_.bob.id), carol = std::to_string(world_.carol.id);
  int64_t id = sendRaw("{\"to\":" + bob + ",\"to\":" + carol + ",\"body\":\"first\",\"body\":\"second\"}");
  EXPECT_EQ(stack_.sql("SELECT recipient_id, body FROM messages WHERE id = " + std::to_string(id)).at(0), carol + "\tsecond");
  id = sendRaw("{\"to\":\"not an id\",\"to\":" + bob + ",\"body\":\"ill-typed first\"}");
  EXPECT_EQ(stack_.sql("SELECT recipient_id FROM messages WHERE id = " + std::to_string(id)).at(0), bob);
  // ... so an ill-typed last one is refused even after a valid one.
  expectAll({post("duplicate key, invalid last", "/im/send", "{\"to\":" + bob + ",\"to\":\"x\",\"body\":\"hi\"}")});
  ++gTried;
  const HttpResponse r = stack_.http().post("/im/register", "{\"username\":\"hj_dup1\",\"username\":\"hj_dup2\",\"password\":\"correct horse\"}");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM users WHERE username IN ('hj_dup1', 'hj_dup2')"), 1);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM users WHERE username = 'hj_dup2'"), 1);
  // Query parameters: the first one wins (fcgi/QueryString).
  ++gTried;
  const HttpResponse h = stack_.http().get("/im/history?with=" + carol + "&with=" + bob, world_.alice.token);
  ASSERT_EQ(h.status, 200) << h.body;
  EXPECT_NE(h.body.find("\"second\""), std::string::npos);
  EXPECT_EQ(h.body.find("ill-typed first"), std::string::npos);
}

TEST_F(HostileAccepted, UnknownFieldsAreIgnoredAndAFromFieldCannotForgeTheSender) {
  const std::string bob = std::to_string(world_.bob.id);
  const int64_t id = sendRaw("{\"to\":" + bob + ",\"body\":\"extra\",\"from\":" + std::to_string(world_.carol.id) +
                             ",\"from_name\":\"carol\",\"msg_id\":1,\"created_at\":\"1970-01-01T00:00:00.000Z\","
                             "\"unknown\":{\"a\":[1,{\"b\":null}]},\"seq\":-5}");
  EXPECT_EQ(stack_.sql("SELECT sender_id, recipient_id FROM messages WHERE id = " + std::to_string(id)).at(0),
            std::to_string(world_.alice.id) + "\t" + bob);
  EXPECT_EQ(stack_.sqlCount("SELECT YEAR(created_at) > 2000 FROM messages WHERE id = " + std::to_string(id)), 1);
}

TEST_F(HostileAccepted, AnyContentTypeIsAcceptedAndTheBodyIsParsedAsJson) {
  const std::string bob = std::to_string(world_.bob.id);
  for (const std::string& type : std::vector<std::string>{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                  "application/json; charset=latin1", "", "application/xml"}) {
    const int64_t id = sendRaw("{\"to\":" + bob + ",\"body\":\"typed " + type + "\"}", world_.alice.token, type);
    EXPECT_GT(id, 0) << type;
  }
  const std::string port = std::to_string(stack_.http().port());
  expectAll({{"a form-encoded body is not JSON", "", "", "", {}, 400, "bad_request",
              "POST /im/send HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + world_.alice.token +
                  "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\nConnection: close\r\n\r\nto=1&body=abc"}});
}

TEST_F(HostileAccepted, PasswordsAreBytesNulAndMultibyteIncluded) {
  ImClient api(stack_.http());
  const std::string nul = std::string("pw\0with-nul", 11);
  const std::string emoji = "\xf0\x9f\x98\x80\xf0\x9f\x98\x80";  // 2 characters, 8 bytes: long enough
  for (const auto& [name, password] : {std::pair{std::string("hj_pwnul"), nul}, std::pair{std::string("hj_pwemoji"), emoji}}) {
    gSecrets.push_back(password);
    gTried += 3;
    ASSERT_EQ(api.registerUser(name, password).status, 201) << name;
    const HttpResponse ok = api.login(name, password);
    ASSERT_EQ(ok.status, 200) << name;
    gSecrets.push_back(parseObject(ok.body)->getValue<std::string>("token"));
    // No C-string truncation anywhere: the prefix before a NUL is not the password.
    EXPECT_TRUE(IsApiError(api.login(name, password.substr(0, 4)), 401, "unauthorized")) << name;
  }
}

TEST_F(HostileAccepted, ZzLogsNeverContainAPasswordOrToken) {
  EXPECT_TRUE(LogsContainNone(stack_.varDir(), gSecrets));
  std::cout << "[ hostile  ] " << gTried << " hostile inputs tried in total\n";
  RecordProperty("hostile_inputs", gTried);
}

}  // namespace
}  // namespace im::test
