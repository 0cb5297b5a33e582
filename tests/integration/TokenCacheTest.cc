// SPDX-License-Identifier: MIT
// TokenCacheTest.cc - fcgi/redis/TokenCache on the real stack: a logged-out token is refused at
// once while its entry is warm (a user on each pushd node), a FLUSHALL costs only misses (a live
// token keeps working through MySQL, a revoked one stays refused), an entry of another Redis life
// (a restored snapshot, a promoted replica) is not trusted.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

class TokenCache : public ::testing::Test {
 protected:
  std::string key(const std::string& token) const {
    return "im:auth:" + stack_.sql("SELECT SHA2('" + token + "', 256)").at(0);
  }
  bool cached(const std::string& token) const { return stack_.redisCli({"GET", key(token)}).output.rfind("s|", 0) == 0; }
  std::string nodeOf(const TestUser& u) const {
    const std::string v = stack_.redisCli({"HVALS", "im:{" + std::to_string(u.id) + "}:session"}).output;
    return v.substr(0, v.find('|'));
  }
  void expectRefused(const std::string& token, const TestUser& peer, const std::string& why) const {
    EXPECT_TRUE(IsApiError(api_.send(token, peer.id, "refused"), 401, "unauthorized")) << why;
    EXPECT_TRUE(IsApiError(api_.http().get("/im/poll?since=0&timeout=0", token), 401, "unauthorized")) << why;
    EXPECT_TRUE(IsApiError(api_.http().get("/im/groups", token), 401, "unauthorized")) << why;
    EXPECT_TRUE(IsApiError(api_.logout(token), 401, "unauthorized")) << why;
  }
  // FLUSHALL took the nodes' registrations too: wait for their next heartbeat.
  void waitForNodes() const {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (stack_.redisCli({"ZCARD", "im:nodes"}).output.find(std::to_string(Stack::kPushdNodes)) != 0 &&
           std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(TokenCache, ALoggedOutTokenIsRefusedAtOnceOnEveryNodeWhileItsEntryIsWarm) {
  const TestUser peer = api_.newUser("tc_peer");
  std::map<std::string, TestUser> byNode;
  for (int i = 0; i < 40 && byNode.size() < static_cast<size_t>(Stack::kPushdNodes); ++i) {
    const TestUser u = api_.newUser("tc_node");
    ASSERT_EQ(api_.poll(u.token, 0, 0).status, 200);  // records the node, fills the entry
    byNode.emplace(nodeOf(u), u);
  }
  ASSERT_EQ(byNode.size(), static_cast<size_t>(Stack::kPushdNodes)) << "no user landed on some node";
  for (const auto& [node, u] : byNode) {
    const std::string phone = api_.loginToken(u.name, u.password, "phone");
    ASSERT_EQ(api_.poll(phone, 0, 0).status, 200);
    ASSERT_EQ(api_.send(u.token, peer.id, "warm").status, 200);
    ASSERT_TRUE(cached(u.token)) << "the entry should be warm before the logout (" << node << ")";
    ASSERT_EQ(api_.logout(u.token).status, 204);
    expectRefused(u.token, peer, "logged out on " + node);
    EXPECT_EQ(api_.poll(phone, 0, 0).status, 200) << "the logout revoked another device's token";
  }
}

TEST_F(TokenCache, AfterAFlushallALiveTokenWorksThroughMysqlAndARevokedOneStaysRefused) {
  const TestUser a = api_.newUser("tc_flush"), b = api_.newUser("tc_flush");
  ASSERT_EQ(api_.poll(a.token, 0, 0).status, 200);
  ASSERT_EQ(api_.poll(b.token, 0, 0).status, 200);
  ASSERT_TRUE(cached(a.token));
  ASSERT_EQ(api_.logout(b.token).status, 204);
  ASSERT_EQ(stack_.redisCli({"FLUSHALL"}).exitCode, 0);
  EXPECT_EQ(api_.poll(a.token, 0, 0).status, 200);
  EXPECT_EQ(api_.send(a.token, a.id, "after the flush").status, 200);
  EXPECT_TRUE(cached(a.token)) << "the miss did not fill the entry again";
  expectRefused(b.token, a, "revoked before the FLUSHALL");
  EXPECT_FALSE(cached(b.token)) << "a revoked token was cached";
  waitForNodes();
}

TEST_F(TokenCache, AnEntryOfAnotherRedisLifeIsNotTrusted) {
  const TestUser a = api_.newUser("tc_life"), b = api_.newUser("tc_life");
  const auto ids = stack_.sql("SELECT id FROM sessions WHERE token_hash = UNHEX(SHA2('" + b.token + "', 256))");
  ASSERT_EQ(ids.size(), 1u);
  ASSERT_EQ(api_.logout(b.token).status, 204);
  // What a snapshot taken before the logout would bring back after a restart.
  const std::string stale = "s|0000000000000000000000000000000000000000|" + ids.at(0) + "|" + std::to_string(b.id) +
                            "|" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     std::chrono::system_clock::now().time_since_epoch())
                                                     .count()) +
                            "|" + b.name;
  ASSERT_EQ(stack_.redisCli({"SET", key(b.token), stale, "PX", "60000"}).exitCode, 0);
  expectRefused(b.token, a, "an entry of another Redis life");
}

}  // namespace
}  // namespace im::test
