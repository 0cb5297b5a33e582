// SPDX-License-Identifier: MIT
// FanoutTest.cc - one send to a 1,000-member group whose members all hold a long poll (PollFleet):
// every member gets it, and pushd sees ONE notification per node; prints latency and store costs.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/PollFleet.h"

namespace im::test {
namespace {

using Clock = std::chrono::steady_clock;
using Counters = std::map<std::string, long long>;

constexpr int kMembers = 1000;  // the creator included
constexpr int kCreatorThreads = 4;

double msBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// The stack's Redis port, from the im.properties `./im up` wrote.
std::string redisPort(const Stack& stack) {
  std::ifstream in(stack.varDir() + "/im.properties");
  std::string port;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("redis.port", 0) == 0) port = line.substr(line.find('=') + 1);
  }
  port.erase(0, port.find_first_not_of(' '));
  if (port.empty()) throw std::runtime_error("no redis.port in " + stack.varDir() + "/im.properties");
  return port;
}

// INFO commandstats: command -> calls.
Counters redisCalls(const std::string& port) {
  const CommandResult r = runCommand({"redis-cli", "-h", "127.0.0.1", "-p", port, "INFO", "commandstats"});
  if (r.exitCode != 0) throw std::runtime_error("redis-cli INFO failed: " + r.output);
  Counters out;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    const size_t colon = line.find(':');
    const size_t calls = line.find("calls=");
    if (line.rfind("cmdstat_", 0) != 0 || colon == std::string::npos || calls == std::string::npos) continue;
    out[line.substr(8, colon - 8)] = std::stoll(line.substr(calls + 6));
  }
  return out;
}

// MariaDB's Questions and Com_* counters.
Counters mariadbStatus(const Stack& stack) {
  Counters out;
  const std::string query = "SHOW GLOBAL STATUS WHERE Variable_name = 'Questions' OR Variable_name LIKE 'Com\\_%'";
  for (const auto& row : stack.sql(query)) {
    const size_t tab = row.find('\t');
    if (tab != std::string::npos) out[row.substr(0, tab)] = std::stoll(row.substr(tab + 1));
  }
  return out;
}

Counters delta(const Counters& before, const Counters& after) {
  Counters out;
  for (const auto& [name, value] : after) {
    const auto it = before.find(name);
    const long long d = value - (it == before.end() ? 0 : it->second);
    if (d != 0) out[name] = d;
  }
  return out;
}

Counters minus(Counters a, const Counters& b) {
  for (const auto& [name, value] : b) a[name] -= value;
  std::erase_if(a, [](const auto& kv) { return kv.second == 0; });
  return a;
}

std::string show(const Counters& counters) {
  std::string out;
  for (const auto& [name, value] : counters) out += " " + name + "=" + std::to_string(value);
  return out;
}

std::vector<TestUser> createUsers(const Stack& stack, int count) {
  std::vector<std::future<std::vector<TestUser>>> parts;
  for (int t = 0; t < kCreatorThreads; ++t) {
    const int share = count / kCreatorThreads + (t < count % kCreatorThreads ? 1 : 0);
    parts.push_back(std::async(std::launch::async, [&stack, share] {
      ImClient client(stack.http());
      std::vector<TestUser> users;
      for (int i = 0; i < share; ++i) users.push_back(client.newUser("fan"));
      return users;
    }));
  }
  std::vector<TestUser> all;
  for (auto& part : parts) {
    auto users = part.get();
    all.insert(all.end(), users.begin(), users.end());
  }
  return all;
}

// A poll answer that is exactly the one group message, as seq 1.
::testing::AssertionResult IsTheGroupMessage(const PollFleet::Answer& a, int64_t msgId, int64_t gid, int64_t from) {
  if (a.status != 200) return ::testing::AssertionFailure() << "status " << a.status << " " << a.error << " " << a.body;
  try {
    const auto body = parseObject(a.body);
    const auto messages = body->getArray("messages");
    if (!messages || messages->size() != 1) return ::testing::AssertionFailure() << "not one message: " << a.body;
    const auto m = messages->getObject(0);
    if (m->getValue<int64_t>("msg_id") != msgId || m->getValue<int64_t>("seq") != 1 ||
        m->optValue<int64_t>("group", 0) != gid || m->getValue<int64_t>("from") != from || m->has("to") ||
        body->getValue<int64_t>("next") != 1) {
      return ::testing::AssertionFailure() << "not msg " << msgId << " of group " << gid << " as seq 1: " << a.body;
    }
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << e.what();
  }
  return ::testing::AssertionSuccess();
}

TEST(Fanout, AThousandHeldPollsGetOneGroupSendWithOneNotificationPerNode) {
  Stack& stack = Stack::get();
  HttpClient http = stack.http();

  const auto setupStart = Clock::now();
  const std::vector<TestUser> users = createUsers(stack, kMembers);
  ASSERT_EQ(users.size(), static_cast<size_t>(kMembers));
  const TestUser& sender = users.front();
  std::string members = "[";
  for (size_t i = 1; i < users.size(); ++i) members += (i > 1 ? "," : "") + std::to_string(users[i].id);
  members += "]";
  const HttpResponse created =
      http.post("/im/groups", "{\"name\":\"everyone\",\"members\":" + members + "}", sender.token);
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t gid = parseObject(created.body)->getValue<int64_t>("group_id");
  const HttpResponse group = http.get("/im/groups/" + std::to_string(gid), users.back().token);
  ASSERT_EQ(group.status, 200) << group.body.substr(0, 300);
  ASSERT_EQ(parseObject(group.body)->getArray("members")->size(), static_cast<size_t>(kMembers));
  std::cout << "[fanout] " << kMembers << " users registered + logged in, group created in "
            << msBetween(setupStart, Clock::now()) << " ms\n";

  // Every member, the sender included, holds a long poll; none may be answered before the send.
  ASSERT_TRUE(stack.waitForHeldPolls(0, std::chrono::seconds(5)));
  PollFleet fleet("127.0.0.1", http.port());
  const auto holdStart = Clock::now();
  for (const auto& u : users) fleet.add("/im/poll?since=0&timeout=60", u.token);
  const auto holdDeadline = holdStart + std::chrono::seconds(40);
  int held = 0;
  while (Clock::now() < holdDeadline && (held = stack.heldPolls()) != kMembers) {
    fleet.pump(std::chrono::milliseconds(50));
    if (fleet.doneCount() == 0) continue;
    for (size_t i = 0; i < fleet.size(); ++i) {
      const auto& a = fleet.answer(i);
      ASSERT_FALSE(a.done) << "a poll was answered before the send: " << a.status << " " << a.error << " " << a.body;
    }
  }
  ASSERT_EQ(held, kMembers) << "held polls never reached " << kMembers << "\n" << stack.logTails(20);
  std::cout << "[fanout] " << kMembers << " polls held after " << msBetween(holdStart, Clock::now()) << " ms\n";

  std::vector<long long> notificationsBefore;
  for (int node = 0; node < Stack::kPushdNodes; ++node) {
    const auto stats = stack.pushdStats(node);
    EXPECT_GT(stats->getValue<int>("held_polls"), 0) << "node " << node << " holds no member: the test proves nothing";
    notificationsBefore.push_back(stats->getValue<long long>("notifications"));
    std::cout << "[fanout] node " << node << " holds " << stats->getValue<int>("held_polls") << " polls\n";
  }

  // Store costs: each counter read twice with nothing between gives the cost of reading it.
  const std::string port = redisPort(stack);
  const Counters sqlIdle0 = mariadbStatus(stack);
  const Counters redisIdle0 = redisCalls(port);
  const Counters sqlIdle1 = mariadbStatus(stack);
  const Counters redisIdle1 = redisCalls(port);
  const Counters sqlBaseline = delta(sqlIdle0, sqlIdle1);
  const Counters redisBaseline = delta(redisIdle0, redisIdle1);
  const Counters sqlBefore = mariadbStatus(stack);
  const Counters redisBefore = redisCalls(port);

  auto answered = std::async(std::launch::async, [&fleet] { return fleet.waitAll(std::chrono::seconds(30)); });
  const auto sendStart = Clock::now();
  const HttpResponse sent = http.post("/im/send", "{\"group\":" + std::to_string(gid) + ",\"body\":\"to all of you\"}",
                                      sender.token);
  const auto sendAnswered = Clock::now();
  ASSERT_EQ(sent.status, 200) << sent.body;
  const int64_t msgId = parseObject(sent.body)->getValue<int64_t>("msg_id");
  ASSERT_TRUE(answered.get()) << fleet.doneCount() << " of " << kMembers << " polls answered";

  const Counters sqlAfter = mariadbStatus(stack);
  const Counters redisAfter = redisCalls(port);

  Clock::time_point lastAnswer = sendStart;
  int failures = 0;
  for (size_t i = 0; i < fleet.size(); ++i) {
    lastAnswer = std::max(lastAnswer, fleet.answer(i).at);
    const auto verdict = IsTheGroupMessage(fleet.answer(i), msgId, gid, sender.id);
    EXPECT_TRUE(verdict) << users[i].name;
    if (!verdict && ++failures >= 5) break;  // enough to see the pattern
  }

  for (int node = 0; node < Stack::kPushdNodes; ++node) {
    const auto stats = stack.pushdStats(node);
    EXPECT_EQ(stats->getValue<long long>("notifications") - notificationsBefore[static_cast<size_t>(node)], 1)
        << "node " << node << ": a group send must be one notification per node, not one per member";
    EXPECT_EQ(stats->getValue<int>("held_polls"), 0);
  }

  const Counters sqlSend = minus(delta(sqlBefore, sqlAfter), sqlBaseline);
  const Counters redisRaw = delta(redisBefore, redisAfter);
  Counters redisSend = minus(redisRaw, redisBaseline);
  Counters redisPushd;  // the nodes' own traffic in the meantime: blocking pops and heartbeats
  for (const char* name : {"blmpop", "zadd", "zremrangebyscore"}) {
    if (redisRaw.count(name)) redisPushd[name] = redisRaw.at(name);
    redisSend.erase(name);
  }
  long long redisTotal = 0;
  for (const auto& [name, calls] : redisSend) redisTotal += calls;
  std::cout << "[fanout] send request -> 200: " << msBetween(sendStart, sendAnswered) << " ms\n"
            << "[fanout] send's 200 -> last member's answer: " << msBetween(sendAnswered, lastAnswer) << " ms\n"
            << "[fanout] send request -> last member's answer: " << msBetween(sendStart, lastAnswer) << " ms\n"
            << "[fanout] MariaDB statements (Questions) for the send: "
            << (sqlSend.count("Questions") ? sqlSend.at("Questions") : 0)
            << "; Com_* deltas:" << show(sqlSend) << "\n"
            << "[fanout] Redis commands by fcgi for the send: " << redisTotal << " (" << show(redisSend)
            << " ); meanwhile pushd:" << show(redisPushd) << "\n";
}

}  // namespace
}  // namespace im::test
