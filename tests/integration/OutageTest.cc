// SPDX-License-Identifier: MIT
// OutageTest.cc - MariaDB stopped or hung: bounded 503s, nothing half-written, recovery without a
// restart of ours. Redis stopped: sends stay durable, polls degrade to short polls, then recover.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/LogScan.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// "No hung worker": an answer well before nginx's own 30 s fastcgi_read_timeout. Not a latency
// target; a worker blocked on a dead store would run into nginx's timeout instead.
constexpr auto kBound = 15s;

std::vector<std::string> gSecrets;

class Outage : public ::testing::Test {
 protected:
  struct Timed {
    HttpResponse response;
    std::chrono::milliseconds took;
  };
  Timed timed(const std::string& method, const std::string& target, const std::string& body,
              const std::string& token) const {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    const auto start = Clock::now();
    HttpResponse r = api_.http().request(method, target, body, headers, 40);
    return {r, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
  }
  // The inbox rows of a and b only: other tests' acknowledgements may still be written (in
  // batches, a little after their polls: fcgi/store/AckQueue), and they delete rows of others.
  std::string rows(const TestUser& a, const TestUser& b) const {
    return stack_.sql("SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM sessions),"
                      " (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM inbox WHERE user_id IN (" +
                      std::to_string(a.id) + ", " + std::to_string(b.id) + ")),"
                      " (SELECT COALESCE(SUM(last_seq),0) FROM inbox_counters), (SELECT COUNT(*) FROM chat_groups),"
                      " (SELECT COUNT(*) FROM group_members))")
        .at(0);
  }
  bool waitForHealth(int status, std::chrono::seconds bound) const {
    const auto deadline = Clock::now() + bound;
    while (Clock::now() < deadline) {
      if (api_.http().get("/im/health", "", 5).status == status) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }
  TestUser user(const std::string& prefix) {
    TestUser u = api_.newUser(prefix);
    gSecrets.push_back(u.password);
    gSecrets.push_back(u.token);
    return u;
  }
  // The requests that need MariaDB, each of which would write (or read) for a healthy stack.
  std::vector<std::tuple<std::string, std::string, std::string, std::string>> dbRequests(const TestUser& a,
                                                                                      const TestUser& b) const {
    const std::string to = std::to_string(b.id);
    return {{"POST", "/im/send", "{\"to\":" + to + ",\"body\":\"during the outage\",\"client_msg_id\":\"out-1\"}", a.token},
            {"POST", "/im/login", "{\"username\":\"" + a.name + "\",\"password\":\"" + a.password + "\"}", ""},
            {"GET", "/im/history?with=" + to, "", a.token},
            {"POST", "/im/register", "{\"username\":\"out_new_user\",\"password\":\"correct horse\"}", ""},
            {"GET", "/im/poll?since=0&timeout=5", "", b.token},
            {"POST", "/im/groups", "{\"name\":\"outage\",\"members\":[" + to + "]}", a.token},
            {"POST", "/im/logout", "", a.token},
            {"GET", "/im/health", "", ""}};
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(Outage, MariaDbStoppedAnswers503QuicklyWritesNothingAndRecoversByItself) {
  const TestUser a = user("out_a"), b = user("out_b");
  api_.sendOk(a.token, b.id, "before the outage");
  const std::string before = rows(a, b);
  stack_.stopMysql();
  // Twice round: the first finds each worker's pooled connection dead, the second cannot connect.
  for (int round = 0; round < 2; ++round) {
    for (const auto& [method, target, body, token] : dbRequests(a, b)) {
      const Timed t = timed(method, target, body, token);
      EXPECT_TRUE(IsApiError(t.response, 503, "unavailable")) << method << " " << target;
      EXPECT_LT(t.took, kBound) << method << " " << target << " hung";
    }
  }
  stack_.restartStopped();  // starts mariadbd only: fcgi, pushd, nginx and Redis kept running
  ASSERT_TRUE(waitForHealth(200, 30s)) << stack_.logTails(20);
  EXPECT_EQ(rows(a, b), before) << "a 503 left something behind";
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM users WHERE username = 'out_new_user'"), 0);
  // Every worker reconnects on its own: a round of sends (more than the pool) all succeed.
  for (int i = 0; i < 2 * Stack::kFcgiWorkers; ++i) {
    const HttpResponse r = api_.send(a.token, b.id, "after " + std::to_string(i));
    EXPECT_EQ(r.status, 200) << r.body;
  }
  const PollResult polled = api_.poll(b.token, 0, 0);
  ASSERT_EQ(polled.status, 200) << polled.raw;
  ASSERT_EQ(polled.messages.size(), 1u + 2 * Stack::kFcgiWorkers);
  EXPECT_EQ(polled.messages.front().body, "before the outage");
  EXPECT_EQ(polled.messages.back().body, "after " + std::to_string(2 * Stack::kFcgiWorkers - 1));
  EXPECT_EQ(polled.raw.find("during the outage"), std::string::npos);
}

TEST_F(Outage, MariaDbHungAnswers503BeforeNginxGivesUp) {
  const TestUser a = user("out_a"), b = user("out_b");
  const std::string before = rows(a, b);
  stack_.pauseMysql(true);
  // In parallel (one per worker), so the whole check costs one timeout, not four.
  std::vector<std::future<Timed>> answers;
  const auto requests = dbRequests(a, b);
  for (size_t i = 0; i < 3; ++i) {
    const auto [method, target, body, token] = requests[i];
    answers.push_back(std::async(std::launch::async, [=, this] { return timed(method, target, body, token); }));
  }
  for (size_t i = 0; i < answers.size(); ++i) {
    const Timed t = answers[i].get();
    EXPECT_TRUE(IsApiError(t.response, 503, "unavailable")) << std::get<1>(requests[i]);
    EXPECT_LT(t.took, 25s) << std::get<1>(requests[i]) << " was not bounded by the worker's own timeouts";
    std::cout << "[ outage   ] " << std::get<1>(requests[i]) << " answered " << t.response.status << " after "
              << t.took.count() << " ms with MariaDB hung\n";
  }
  stack_.pauseMysql(false);
  ASSERT_TRUE(waitForHealth(200, 30s)) << stack_.logTails(20);
  EXPECT_EQ(rows(a, b), before);
  EXPECT_EQ(api_.send(a.token, b.id, "after the hang").status, 200);
}

TEST_F(Outage, RedisStoppedSendsStayDurableAndPollsDegradeToShortPolls) {
  const TestUser a = user("out_a"), b = user("out_b");
  stack_.stopRedis();
  const Timed sent = timed("POST", "/im/send", "{\"to\":" + std::to_string(b.id) + ",\"body\":\"redis is down\"}", a.token);
  ASSERT_EQ(sent.response.status, 200) << sent.response.body;
  EXPECT_LT(sent.took, kBound);
  const int64_t id = parseObject(sent.response.body)->getValue<int64_t>("msg_id");
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE id = " + std::to_string(id) + " AND body = 'redis is down'"), 1);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM inbox WHERE msg_id = " + std::to_string(id)), 2);
  // A 30 s poll answers at once: with the message through catch-up, and told to come back soon.
  Timed polled = timed("GET", "/im/poll?since=0&timeout=30", "", b.token);
  ASSERT_EQ(polled.response.status, 200) << polled.response.body;
  EXPECT_LT(polled.took, 5s);
  EXPECT_NE(polled.response.body.find("redis is down"), std::string::npos);
  EXPECT_EQ(polled.response.header("Retry-After"), "1");
  polled = timed("GET", "/im/poll?since=1&timeout=30", "", b.token);  // nothing new: still not held
  ASSERT_EQ(polled.response.status, 200) << polled.response.body;
  EXPECT_LT(polled.took, 5s);
  EXPECT_EQ(polled.response.header("Retry-After"), "1");
  EXPECT_TRUE(IsApiError(api_.http().get("/im/health"), 503, "unavailable"));
  // Logins go on (rate limits fail open; MariaDB and Argon2 still guard the account).
  const HttpResponse login = api_.login(b.name, b.password, "redis-down");
  ASSERT_EQ(login.status, 200) << login.body;
  gSecrets.push_back(parseObject(login.body)->getValue<std::string>("token"));

  stack_.restartStopped();  // starts Redis only; pushd nodes re-register by their heartbeat
  ASSERT_TRUE(waitForHealth(200, 30s));
  // Held polls work again without restarting anything of ours: hold one, then send.
  std::future<PollResult> held;
  const auto deadline = Clock::now() + 20s;
  bool isHeld = false;
  while (!isHeld && Clock::now() < deadline) {
    held = std::async(std::launch::async, [&] { return api_.poll(b.token, 1, 20); });
    isHeld = stack_.waitForHeldPolls(1, 3s);
    if (!isHeld) held.get();  // answered at once: no node registered yet; try again
  }
  ASSERT_TRUE(isHeld) << "no poll was held within 20 s of Redis coming back";
  const auto sentAt = Clock::now();
  api_.sendOk(a.token, b.id, "redis is back");
  const PollResult woken = held.get();
  ASSERT_EQ(woken.status, 200) << woken.raw;
  ASSERT_EQ(woken.messages.size(), 1u) << woken.raw;
  EXPECT_EQ(woken.messages[0].body, "redis is back");
  EXPECT_LT(Clock::now() - sentAt, 5s) << "the held poll waited for its timeout instead of being woken";
}

TEST_F(Outage, ZzLogsNeverContainAPasswordOrToken) {
  EXPECT_TRUE(LogsContainNone(stack_.varDir(), gSecrets));
}

}  // namespace
}  // namespace im::test
