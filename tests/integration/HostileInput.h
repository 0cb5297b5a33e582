// SPDX-License-Identifier: MIT
// HostileInput.h - the fixture of the hostile-input tables (HostileInputTest.cc, HostileAcceptedTest.cc):
// the Hostile request row, a raw-socket exchange for heads Poco will not send, and the MariaDB snapshot.
#pragma once

#include <gtest/gtest.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <signal.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {

// A 1 MB body may be refused (413) before it is all written: never die of SIGPIPE.
inline const bool kSigpipeIgnored = [] { return ::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();

inline int gTried = 0;                    // hostile inputs tried, all tables
inline std::vector<std::string> gSecrets;  // passwords and tokens this binary used: must never be logged

inline const std::string k2p63 = "9223372036854775808";
inline const std::string k2p64m1 = "18446744073709551615";
inline const std::string k2p64 = "18446744073709551616";
inline const std::string kHuge = "99999999999999999999";

// One hostile request. `raw` (complete request bytes) replaces method/target/body/headers.
struct Hostile {
  std::string what;
  std::string method;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
  int status = 400;
  std::string code = "bad_request";  // "" for an accepted (2xx) read-only request
  std::string raw;
};

inline std::string hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

inline std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Reads the whole answer of a Connection: close request; de-chunks the body.
inline HttpResponse parseRaw(const std::string& text) {
  HttpResponse r;
  const size_t headEnd = text.find("\r\n\r\n");
  const std::string head = text.substr(0, headEnd);
  if (text.rfind("HTTP/1.", 0) == 0 && text.size() > 12) r.status = std::stoi(text.substr(9, 3));
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos < head.size()) {
    const size_t end = head.find("\r\n", pos + 2);
    const std::string line = head.substr(pos + 2, end == std::string::npos ? std::string::npos : end - pos - 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    pos = end;
  }
  std::string body = headEnd == std::string::npos ? "" : text.substr(headEnd + 4);
  if (r.header("Transfer-Encoding") == "chunked") {
    std::string plain;
    size_t at = 0;
    while (at < body.size()) {
      const size_t eol = body.find("\r\n", at);
      if (eol == std::string::npos) break;
      const size_t n = std::stoul(body.substr(at, eol - at), nullptr, 16);
      if (n == 0) break;
      plain += body.substr(eol + 2, n);
      at = eol + 2 + n + 2;
    }
    body = plain;
  }
  r.body = body;
  return r;
}

inline HttpResponse rawExchange(uint16_t port, const std::string& request) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(15, 0));
  size_t sent = 0;
  try {
    while (sent < request.size()) {
      sent += static_cast<size_t>(socket.sendBytes(request.data() + sent, static_cast<int>(request.size() - sent)));
    }
  } catch (const Poco::Exception&) {
    // nginx may answer and close before it has read everything (413): read what it said.
  }
  std::string text;
  char buffer[16384];
  for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<size_t>(n));
  return parseRaw(text);
}

// No answer may carry a header smuggled in through a field or a request header.
inline ::testing::AssertionResult NoInjectedHeader(const HttpResponse& r) {
  for (const auto& [name, value] : r.headers) {
    std::string lowerValue = value;
    std::transform(lowerValue.begin(), lowerValue.end(), lowerValue.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name.find("injected") != std::string::npos || lowerValue.find("injected") != std::string::npos ||
        value.find('\r') != std::string::npos || value.find('\n') != std::string::npos) {
      return ::testing::AssertionFailure() << "leaked header '" << name << ": " << value << "'";
    }
  }
  return ::testing::AssertionSuccess();
}

class HostileInput : public ::testing::Test {
 protected:
  struct World {
    TestUser alice, bob, carol;
    std::string g1, g2;  // g1: alice + bob; g2: carol only
    std::string revoked;  // a token of alice's, logged out
  };

  static void SetUpTestSuite() {
    ASSERT_TRUE(kSigpipeIgnored);
    ImClient api(Stack::get().http());
    world_.alice = api.newUser("hi_alice");
    world_.bob = api.newUser("hi_bob");
    world_.carol = api.newUser("hi_carol");
    world_.g1 = createGroup(world_.alice.token, "g1", "[" + std::to_string(world_.bob.id) + "]");
    world_.g2 = createGroup(world_.carol.token, "g2", "[]");
    world_.revoked = api.loginToken(world_.alice.name, world_.alice.password, "revoked");
    ASSERT_EQ(api.logout(world_.revoked).status, 204);
    for (const TestUser* u : {&world_.alice, &world_.bob, &world_.carol}) {
      gSecrets.push_back(u->password);
      gSecrets.push_back(u->token);
    }
    gSecrets.push_back(world_.revoked);
  }

  static std::string createGroup(const std::string& token, const std::string& name, const std::string& members) {
    const HttpResponse r =
        Stack::get().http().post("/im/groups", "{\"name\":\"" + name + "\",\"members\":" + members + "}", token);
    if (r.status != 201) throw std::runtime_error("create group: " + r.body);
    return std::to_string(parseObject(r.body)->getValue<int64_t>("group_id"));
  }

  // Row counts and max ids of every table a request could write.
  std::string snapshot() const {
    return stack_.sql(
        "SELECT CONCAT_WS(' ', 'users', (SELECT COUNT(*) FROM users), (SELECT COALESCE(MAX(id),0) FROM users),"
        " 'sessions', (SELECT COUNT(*) FROM sessions), (SELECT COALESCE(MAX(id),0) FROM sessions),"
        " 'revoked', (SELECT COUNT(revoked_at) FROM sessions),"
        " 'messages', (SELECT COUNT(*) FROM messages), (SELECT COALESCE(MAX(id),0) FROM messages),"
        " 'inbox', (SELECT COUNT(*) FROM inbox), (SELECT COALESCE(SUM(last_seq),0) FROM inbox_counters),"
        " 'chat_groups', (SELECT COUNT(*) FROM chat_groups), (SELECT COALESCE(MAX(id),0) FROM chat_groups),"
        " 'group_members', (SELECT COUNT(*) FROM group_members))")
        .at(0);
  }

  HttpResponse exchange(const Hostile& h) const {
    if (!h.raw.empty()) return rawExchange(stack_.http().port(), h.raw);
    return stack_.http().request(h.method, h.target, h.body, h.headers);
  }

  // Runs a table: every answer as expected, no header leaked, MariaDB unchanged after each.
  void expectAll(const std::vector<Hostile>& cases) {
    std::string before = snapshot();
    for (const Hostile& h : cases) {
      ++gTried;
      HttpResponse r;
      try {
        r = exchange(h);
      } catch (const std::exception& e) {
        ADD_FAILURE() << h.what << ": no answer: " << e.what();
        continue;
      }
      if (h.code.empty()) {
        EXPECT_EQ(r.status, h.status) << h.what << ": " << r.body;
      } else {
        EXPECT_TRUE(IsApiError(r, h.status, h.code)) << h.what;
      }
      EXPECT_TRUE(NoInjectedHeader(r)) << h.what;
      const std::string after = snapshot();
      EXPECT_EQ(after, before) << h.what << " changed MariaDB";
      before = after;
    }
    std::cout << "[ hostile  ] " << cases.size() << " inputs in this table, " << gTried << " so far\n";
  }

  std::map<std::string, std::string> auth(const std::string& token = world_.alice.token,
                                          const std::string& type = "application/json; charset=utf-8") const {
    return {{"Authorization", "Bearer " + token}, {"Content-Type", type}};
  }
  Hostile post(std::string what, std::string target, std::string body, int status = 400,
               std::string code = "bad_request") const {
    return {std::move(what), "POST", std::move(target), std::move(body), auth(), status, std::move(code), ""};
  }
  Hostile get(std::string what, std::string target, int status = 400, std::string code = "bad_request") const {
    return {std::move(what), "GET", std::move(target), "", auth(), status, std::move(code), ""};
  }

  // A valid body for each JSON endpoint (register: a fresh name each time, so that a wrongly
  // accepted variant shows up as a new row rather than as a 409).
  std::string validBody(const std::string& endpoint) {
    if (endpoint == "/im/register") return "{\"username\":\"hj_" + std::to_string(++fresh_) + "\",\"password\":\"correct horse\"}";
    if (endpoint == "/im/login") return "{\"username\":\"" + world_.alice.name + "\",\"password\":\"" + world_.alice.password + "\"}";
    if (endpoint == "/im/send") return "{\"to\":" + std::to_string(world_.bob.id) + ",\"body\":\"hello\"}";
    return "{\"name\":\"hostile\",\"members\":[" + std::to_string(world_.bob.id) + "]}";
  }

  static inline World world_;
  static inline int fresh_ = 0;
  const std::vector<std::string> jsonEndpoints_ = {"/im/register", "/im/login", "/im/send", "/im/groups"};
  Stack& stack_ = Stack::get();
};

}  // namespace im::test
