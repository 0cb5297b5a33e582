// SPDX-License-Identifier: MIT
// ClusterTest.cc - the push cluster under faults, with hundreds of users polling while messages flow:
// cross-node delivery, a node SIGKILLed, a node SIGTERMed and added back, Redis restarted, fcgi
// workers SIGKILLed mid-burst. Each test checks exactly-once, consecutive delivery and PRINTS how
// long delivery was interrupted (measured, not asserted).
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/ClusterTraffic.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;

constexpr int kReceivers = 200;
constexpr int kSenders = 4;

class Cluster : public ::testing::Test {
 protected:
  std::vector<TestUser> users(const std::string& prefix, int count) {
    std::vector<std::future<std::vector<TestUser>>> parts;
    for (int t = 0; t < 4; ++t) {
      const int share = count / 4 + (t < count % 4 ? 1 : 0);
      parts.push_back(std::async(std::launch::async, [this, share, prefix] {
        ImClient client(stack_.http());
        std::vector<TestUser> out;
        for (int i = 0; i < share; ++i) out.push_back(client.newUser(prefix));
        return out;
      }));
    }
    std::vector<TestUser> all;
    for (auto& p : parts) {
      auto part = p.get();
      all.insert(all.end(), part.begin(), part.end());
    }
    return all;
  }

  // The node each user's (single) device session names in Redis, "" when it has none.
  std::vector<std::string> nodesOf(const std::vector<TestUser>& list) const {
    std::vector<std::string> args{
        "EVAL",
        "local r = {} for i, k in ipairs(KEYS) do r[i] = redis.call('HVALS', k)[1] or '-' end return r",
        std::to_string(list.size())};
    for (const auto& u : list) args.push_back("im:{" + std::to_string(u.id) + "}:session");
    const CommandResult r = stack_.redisCli(args);
    if (r.exitCode != 0) throw std::runtime_error("redis-cli EVAL failed: " + r.output);
    std::vector<std::string> nodes;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) nodes.push_back(line == "-" ? "" : line.substr(0, line.find('|')));
    if (nodes.size() != list.size()) throw std::runtime_error("unexpected EVAL output: " + r.output);
    return nodes;
  }

  std::set<std::string> liveNodes() const {
    const CommandResult r = stack_.redisCli({"ZRANGE", "im:nodes", "0", "-1"});
    std::set<std::string> out;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) out.insert(line);
    }
    return out;
  }

  // The uids whose session names `node`.
  std::set<int64_t> on(const std::vector<TestUser>& list, const std::vector<std::string>& nodes,
                       const std::string& node) const {
    std::set<int64_t> out;
    for (size_t i = 0; i < list.size(); ++i) {
      if (nodes[i] == node) out.insert(list[i].id);
    }
    return out;
  }

  // Starts every receiver polling, waits until all are held, and records each one's node in
  // `before` and the uids `victim` holds in `affected`; a fault must hit some users, not all.
  void holdAllSplitAcross(Traffic& traffic, const std::vector<TestUser>& receivers, const std::string& victim,
                          std::vector<std::string>& before, std::set<int64_t>& affected) {
    traffic.startPolling();
    ASSERT_TRUE(traffic.waitHeld(30s)) << stack_.heldPolls() << " held";
    before = nodesOf(receivers);
    affected = on(receivers, before, victim);
    ASSERT_FALSE(affected.empty());
    ASSERT_LT(affected.size(), receivers.size());
  }

  pid_t pushdPid(int node) const {
    std::ifstream in(stack_.varDir() + "/run/pushd-" + std::to_string(stack_.pushdPorts().at(static_cast<size_t>(node))) +
                     ".pid");
    long pid = 0;
    in >> pid;
    return static_cast<pid_t>(pid);
  }

  static bool processGone(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    return text.empty() || close == std::string::npos || text.size() < close + 3 || text[close + 2] == 'Z';
  }

  // Sender s sends round-robin to every receiver.
  static std::vector<std::vector<int64_t>> spread(size_t senders, const std::vector<TestUser>& receivers) {
    std::vector<std::vector<int64_t>> targets(senders);
    for (size_t s = 0; s < senders; ++s) {
      for (size_t i = 0; i < receivers.size(); ++i) targets[s].push_back(receivers[(i + s * 7) % receivers.size()].id);
    }
    return targets;
  }

  void bringAllNodesBack() {
    stack_.restartStopped();
    const auto deadline = Clock::now() + 10s;
    while (liveNodes().size() < static_cast<size_t>(Stack::kPushdNodes) && Clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    std::this_thread::sleep_for(1100ms);  // fcgi re-reads the ring at most once a second
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

// A sender and a receiver whose ring nodes differ: each send wakes the receiver's poll on one node
// and the sender's own poll on the other.
TEST_F(Cluster, DeliversAcrossNodesWhenSenderAndReceiverAreOnDifferentNodes) {
  const auto candidates = users("xn", 16);
  for (const auto& u : candidates) ASSERT_EQ(api_.poll(u.token, 0, 0).status, 200);
  const auto nodes = nodesOf(candidates);
  const std::string n0 = stack_.pushdNodeId(0);
  const std::string n1 = stack_.pushdNodeId(1);
  const auto a = std::find(nodes.begin(), nodes.end(), n0);
  const auto b = std::find(nodes.begin(), nodes.end(), n1);
  ASSERT_TRUE(a != nodes.end() && b != nodes.end()) << "16 users all hashed to one node";
  const TestUser alice = candidates[static_cast<size_t>(a - nodes.begin())];
  const TestUser bob = candidates[static_cast<size_t>(b - nodes.begin())];
  const long long delivered0 = stack_.pushdStats(0)->getValue<long long>("deliveries");
  const long long delivered1 = stack_.pushdStats(1)->getValue<long long>("deliveries");

  Traffic traffic(stack_, {alice, bob});
  traffic.startPolling();
  ASSERT_TRUE(traffic.waitHeld(10s));
  const auto held = nodesOf({alice, bob});
  ASSERT_EQ(held[0], n0);
  ASSERT_EQ(held[1], n1) << "sender and receiver are not pinned to different nodes";
  const auto start = Clock::now();
  traffic.startSending({alice, bob}, {{bob.id}, {alice.id}}, 20, 20ms, "xn", false);
  traffic.waitSenders();
  EXPECT_TRUE(traffic.waitDelivered(std::chrono::seconds(kPollTimeoutS)))
      << traffic.delivered() << " of " << traffic.expectedDeliveries() << " delivered";
  traffic.stopPolling();
  ExpectExactlyOnceInOrder(traffic);
  EXPECT_EQ(traffic.receivers()[0].got.size(), 40u);
  EXPECT_GT(stack_.pushdStats(0)->getValue<long long>("deliveries"), delivered0);
  EXPECT_GT(stack_.pushdStats(1)->getValue<long long>("deliveries"), delivered1);
  std::cout << "[cluster] cross-node " << n0 << " <-> " << n1 << ": send 200 -> poll answer "
            << show(latencies(traffic, start, Clock::now())) << "\n";
}

// SIGKILL of a node under load: its held polls come back through nginx (@im_pushd_failed) and
// move to the survivor; every message is still delivered once, in order.
TEST_F(Cluster, ANodeKilledUnderLoadLosesAndDuplicatesNothing) {
  const auto receivers = users("kill", kReceivers);
  const auto senders = users("kills", kSenders);
  const auto probes = users("killp", 8);  // short-poll once, then go quiet: their session names a node
  for (const auto& p : probes) ASSERT_EQ(api_.poll(p.token, 0, 0).status, 200);
  const int victim = 0;
  const std::string dead = stack_.pushdNodeId(victim);
  const std::string survivor = stack_.pushdNodeId(1 - victim);

  Traffic traffic(stack_, receivers);
  std::vector<std::string> before;
  std::set<int64_t> affected;
  ASSERT_NO_FATAL_FAILURE(holdAllSplitAcross(traffic, receivers, dead, before, affected));

  const int perSender = 150;
  const auto start = Clock::now();
  traffic.startSending(senders, spread(senders.size(), receivers), perSender, 10ms, "kill", false);
  ASSERT_TRUE(traffic.waitSent(kSenders * perSender / 2, 60s));
  const auto killAt = Clock::now();
  stack_.killPushd(victim, SIGKILL);
  const auto deadAt = Clock::now();

  // A dead node's list is bounded: a send to a user whose session still names it re-arms a TTL.
  const auto probeNodes = nodesOf(probes);
  const auto probe = std::find(probeNodes.begin(), probeNodes.end(), dead);
  ASSERT_NE(probe, probeNodes.end()) << "no probe user on the victim node";
  api_.sendOk(senders[0].token, probes[static_cast<size_t>(probe - probeNodes.begin())].id, "to a dead node");
  const std::string list = "im:{node:" + dead + "}:notify";
  const CommandResult ttl = stack_.redisCli({"TTL", list});
  const long long ttlS = std::stoll(ttl.output);
  EXPECT_GT(ttlS, 0) << list << " has no expiry";
  EXPECT_LE(ttlS, 60) << list;

  traffic.waitSenders();
  const auto sendsDone = Clock::now();
  EXPECT_TRUE(traffic.waitDelivered(std::chrono::seconds(kPollTimeoutS + 10)))
      << traffic.delivered() << " of " << traffic.expectedDeliveries() << " delivered";
  const auto after = nodesOf(receivers);
  traffic.stopPolling();
  ExpectExactlyOnceInOrder(traffic);
  for (size_t i = 0; i < receivers.size(); ++i) {
    EXPECT_EQ(after[i], survivor) << receivers[i].name << " still on " << after[i] << " after the kill";
  }
  size_t pollErrors = 0;
  for (const auto& p : traffic.pollLog()) pollErrors += p.status != 200 && p.at >= killAt;
  EXPECT_EQ(pollErrors, 0u) << "polls failed instead of moving to the live node";

  std::cout << "[cluster] SIGKILL node: " << receivers.size() << " pollers (" << affected.size()
            << " on the victim), " << traffic.sends().size() << " sends; kill took " << msBetween(killAt, deadAt)
            << " ms\n"
            << "[cluster] SIGKILL node: before the kill, send 200 -> delivery " << show(latencies(traffic, start, killAt))
            << "\n"
            << "[cluster] SIGKILL node: after the kill, all users " << show(latencies(traffic, killAt, sendsDone))
            << "; users of the dead node " << show(latencies(traffic, killAt, sendsDone, affected)) << "\n"
            << "[cluster] SIGKILL node: kill -> first delivery to a user of the dead node "
            << firstDeliveryAfter(traffic, killAt, affected) << " ms; failed polls " << pollErrors
            << "; dead node's list TTL " << ttlS << " s\n";
  bringAllNodesBack();
}

// SIGTERM: the node deregisters at once, answers its held polls empty, exits; its users re-poll on
// the survivor. Started again (`./im up`), it takes back exactly the users the ring gives it.
TEST_F(Cluster, ASigtermedNodeHandsItsPollsBackAndARestartedOneTakesOnlyItsShare) {
  const auto receivers = users("term", kReceivers);
  const auto senders = users("terms", kSenders);
  const int victim = 1;
  const std::string leaving = stack_.pushdNodeId(victim);
  const std::string survivor = stack_.pushdNodeId(1 - victim);

  Traffic traffic(stack_, receivers);
  std::vector<std::string> before;
  std::set<int64_t> affected;
  ASSERT_NO_FATAL_FAILURE(holdAllSplitAcross(traffic, receivers, leaving, before, affected));

  const int perSender = 160;
  const auto start = Clock::now();
  traffic.startSending(senders, spread(senders.size(), receivers), perSender, 10ms, "term", false);
  ASSERT_TRUE(traffic.waitSent(kSenders * perSender / 3, 60s));
  const pid_t pid = pushdPid(victim);
  const auto termAt = Clock::now();
  auto exited = std::async(std::launch::async, [this] { stack_.killPushd(victim, SIGTERM); });
  Clock::time_point deregisteredAt{};
  while (exited.wait_for(5ms) != std::future_status::ready) {
    if (deregisteredAt == Clock::time_point{} && !liveNodes().count(leaving)) deregisteredAt = Clock::now();
  }
  const auto exitAt = Clock::now();
  EXPECT_TRUE(processGone(pid)) << "the SIGTERMed node still runs after 10 s";
  EXPECT_FALSE(liveNodes().count(leaving)) << "the node exited without deregistering";
  if (deregisteredAt == Clock::time_point{}) deregisteredAt = exitAt;

  ASSERT_TRUE(traffic.waitSent(kSenders * perSender * 2 / 3, 60s));
  const auto restartAt = Clock::now();
  stack_.restartStopped();  // the node joins again; nobody else's configuration changes
  const auto restartedAt = Clock::now();
  traffic.waitSenders();
  const auto sendsDone = Clock::now();
  EXPECT_TRUE(traffic.waitDelivered(std::chrono::seconds(kPollTimeoutS + 10)))
      << traffic.delivered() << " of " << traffic.expectedDeliveries() << " delivered";
  traffic.stopPolling();
  ExpectExactlyOnceInOrder(traffic);

  // The polls the node held when told to stop: answered (200, empty) before their own timeout.
  std::set<size_t> answeredEmpty;
  double lastHandBack = 0;
  for (const auto& p : traffic.pollLog()) {
    const int64_t uid = traffic.receivers()[p.user].user.id;
    if (!affected.count(uid) || p.issued >= termAt || p.at < termAt) continue;
    EXPECT_EQ(p.status, 200);
    EXPECT_LT(p.at, p.issued + std::chrono::seconds(kPollTimeoutS)) << "a held poll waited for its timeout";
    if (p.status == 200 && p.messages == 0) answeredEmpty.insert(p.user);
    lastHandBack = std::max(lastHandBack, msBetween(termAt, p.at));
  }
  size_t pollErrors = 0;
  for (const auto& p : traffic.pollLog()) pollErrors += p.status != 200 && p.at >= termAt;
  EXPECT_EQ(pollErrors, 0u);

  // After the restart, every user's next poll goes to its ring node: those of the returning node
  // move back, the others stay where they are.
  std::this_thread::sleep_for(1100ms);  // fcgi re-reads the ring at most once a second
  for (const auto& r : traffic.receivers()) ASSERT_EQ(api_.poll(r.user.token, r.next, 0).status, 200);
  const auto now = nodesOf(receivers);
  size_t moved = 0;
  for (size_t i = 0; i < receivers.size(); ++i) {
    EXPECT_EQ(now[i], before[i]) << receivers[i].name << " is not back on its ring node";
    moved += now[i] == leaving;
  }
  EXPECT_GT(moved, 0u);
  EXPECT_LT(moved, receivers.size()) << "adding a node moved every user";

  std::cout << "[cluster] SIGTERM node: " << affected.size() << " of " << receivers.size()
            << " pollers on it; deregistered after <= " << msBetween(termAt, deregisteredAt)
            << " ms, its held polls answered within " << lastHandBack << " ms (" << answeredEmpty.size()
            << " empty), process gone after " << msBetween(termAt, exitAt) << " ms\n"
            << "[cluster] SIGTERM node: before, send 200 -> delivery " << show(latencies(traffic, start, termAt))
            << "\n"
            << "[cluster] SIGTERM node: while it stopped and after, all users "
            << show(latencies(traffic, termAt, restartAt)) << "; its users "
            << show(latencies(traffic, termAt, restartAt, affected)) << "\n"
            << "[cluster] SIGTERM node: term -> first delivery to one of its users "
            << firstDeliveryAfter(traffic, termAt, affected) << " ms; failed polls " << pollErrors << "\n"
            << "[cluster] node added back (`im up` " << msBetween(restartAt, restartedAt)
            << " ms): send 200 -> delivery " << show(latencies(traffic, restartAt, sendsDone)) << "; " << moved
            << " of " << receivers.size() << " users moved back to it\n";
  bringAllNodesBack();
}

// Redis SHUTDOWN NOSAVE and restart while messages flow: sends keep answering 200, polls degrade
// to short polls, and everything recovers by itself with nothing lost.
// The upgrade procedure of README "Operating it": every node restarted one at a time (SIGTERM,
// which hands its held polls back, then started again) while senders and pollers go on. Nothing
// may be lost or delivered twice, and no client poll may fail.
TEST_F(Cluster, ARollingRestartOfEveryNodeUnderLoadLosesAndDuplicatesNothing) {
  const auto receivers = users("roll", kReceivers);
  const auto senders = users("rolls", kSenders);
  Traffic traffic(stack_, receivers);
  std::vector<std::string> before;
  std::set<int64_t> affected;
  ASSERT_NO_FATAL_FAILURE(holdAllSplitAcross(traffic, receivers, stack_.pushdNodeId(0), before, affected));

  // ~6 s of sends: both restarts (~2.5 s each) fall inside them.
  const int perSender = 300;
  const auto start = Clock::now();
  traffic.startSending(senders, spread(senders.size(), receivers), perSender, 20ms, "roll", false);
  ASSERT_TRUE(traffic.waitSent(kSenders * perSender / 4, 60s));
  for (int node = 0; node < Stack::kPushdNodes; ++node) {
    const pid_t old = pushdPid(node);
    stack_.killPushd(node, SIGTERM);
    ASSERT_TRUE(processGone(old)) << "node " << node << " did not stop on SIGTERM";
    bringAllNodesBack();
    ASSERT_EQ(liveNodes().size(), static_cast<size_t>(Stack::kPushdNodes)) << "node " << node << " did not come back";
    EXPECT_NE(pushdPid(node), old) << "node " << node << " was not restarted";
  }
  const auto restartsDone = Clock::now();
  traffic.waitSenders();
  EXPECT_TRUE(traffic.waitDelivered(std::chrono::seconds(kPollTimeoutS + 10)))
      << traffic.delivered() << " of " << traffic.expectedDeliveries() << " delivered";
  traffic.stopPolling();
  ExpectExactlyOnceInOrder(traffic);
  size_t pollErrors = 0;
  for (const auto& p : traffic.pollLog()) pollErrors += p.status != 200 && p.at >= start;
  EXPECT_EQ(pollErrors, 0u) << "client polls failed during the rolling restart";
  std::cout << "[cluster] rolling restart of " << Stack::kPushdNodes << " nodes: " << traffic.sends().size()
            << " sends to " << receivers.size() << " pollers; restarts took " << msBetween(start, restartsDone)
            << " ms; send 200 -> delivery " << show(latencies(traffic, start, restartsDone)) << "\n";
}

TEST_F(Cluster, ARedisRestartUnderLoadLosesNothingAndSendsKeepSucceeding) {
  const auto receivers = users("redis", kReceivers);
  const auto senders = users("rediss", kSenders);
  Traffic traffic(stack_, receivers);
  traffic.startPolling();
  ASSERT_TRUE(traffic.waitHeld(30s)) << stack_.heldPolls() << " held";

  const int perSender = 150;
  const auto start = Clock::now();
  traffic.startSending(senders, spread(senders.size(), receivers), perSender, 10ms, "redis", false);
  ASSERT_TRUE(traffic.waitSent(kSenders * perSender / 3, 60s));
  const auto downAt = Clock::now();
  stack_.restartRedis();
  const auto upAt = Clock::now();
  // Both nodes register again with their next heartbeat.
  Clock::time_point nodesBackAt = upAt;
  while (liveNodes().size() < static_cast<size_t>(Stack::kPushdNodes) && Clock::now() < upAt + 10s) {
    std::this_thread::sleep_for(20ms);
    nodesBackAt = Clock::now();
  }
  EXPECT_EQ(liveNodes().size(), static_cast<size_t>(Stack::kPushdNodes)) << "a node did not register again";
  traffic.waitSenders();
  const auto sendsDone = Clock::now();
  ExpectRecoveredExactlyOnce(traffic);
  size_t failedSends = 0;
  for (const auto& s : traffic.sends()) failedSends += s.firstStatus != 200;
  EXPECT_EQ(failedSends, 0u) << "sends failed while Redis was down";
  size_t pollErrors = 0;
  for (const auto& p : traffic.pollLog()) pollErrors += p.status != 200;
  EXPECT_EQ(pollErrors, 0u);
  // No lost wake-up: polls held across the restart (their sessions forgotten by Redis) are answered
  // before their timeout; every receiver gets messages after the restart, so none has to time out.
  const Latency outage = latencies(traffic, downAt, sendsDone);
  const size_t timedOut = timedOutAcross(traffic, downAt);
  EXPECT_EQ(timedOut, 0u) << "polls held across the Redis restart waited for their timeout";

  std::cout << "[cluster] Redis restart: down->up " << msBetween(downAt, upAt) << " ms, both nodes registered "
            << msBetween(downAt, nodesBackAt) << " ms after the shutdown; failed sends " << failedSends
            << ", failed polls " << pollErrors << ", polls answered with Retry-After " << traffic.retryAfters() << ", held polls that timed out " << timedOut
            << "\n"
            << "[cluster] Redis restart: before, send 200 -> delivery " << show(latencies(traffic, start, downAt))
            << "\n"
            << "[cluster] Redis restart: sent during and after the outage " << show(outage) << "\n";
}

// SIGKILL of fcgi workers in the middle of a send burst: every send is either answered 200 and
// stored, or failed and then stored exactly once by the retry with the same client_msg_id.
TEST_F(Cluster, FcgiWorkersKilledMidBurstStoreEverySendExactlyOnce) {
  const auto receivers = users("burst", 100);
  const auto senders = users("bursts", kSenders);
  Traffic traffic(stack_, receivers);
  traffic.startPolling();
  ASSERT_TRUE(traffic.waitHeld(30s)) << stack_.heldPolls() << " held";

  const int perSender = 120;
  const int total = kSenders * perSender;
  const auto start = Clock::now();
  traffic.startSending(senders, spread(senders.size(), receivers), perSender, 0ms, "burst", true);
  std::vector<Clock::time_point> kills;
  for (int k = 1; k <= 3; ++k) {
    ASSERT_TRUE(traffic.waitSent(total * k / 4, 60s));
    kills.push_back(Clock::now());
    stack_.killOneFcgiWorker();
  }
  traffic.waitSenders();
  const auto sendsDone = Clock::now();
  EXPECT_TRUE(traffic.waitDelivered(std::chrono::seconds(kPollTimeoutS + 10)))
      << traffic.delivered() << " of " << traffic.expectedDeliveries() << " delivered";
  traffic.stopPolling();
  ExpectExactlyOnceInOrder(traffic);

  std::string ids;
  for (const auto& s : senders) ids += (ids.empty() ? "" : ",") + std::to_string(s.id);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE sender_id IN (" + ids + ")"), total);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(DISTINCT sender_id, client_msg_id) FROM messages WHERE sender_id IN (" +
                            ids + ")"),
            total);
  size_t failed = 0, storedAnyway = 0;
  double longestRetry = 0;
  for (const auto& s : traffic.sends()) {
    if (s.firstStatus == 200) {
      EXPECT_FALSE(s.duplicate) << s.clientMsgId;
      continue;
    }
    ++failed;
    longestRetry = std::max(longestRetry, msBetween(s.firstTry, s.answeredAt));
    // Committed before the worker died (answer lost): the retry says duplicate; else it stores it.
    EXPECT_EQ(s.duplicate, s.storedAfterFailure == 1) << s.clientMsgId << " first status " << s.firstStatus;
    EXPECT_LE(s.storedAfterFailure, 1);
    storedAnyway += s.storedAfterFailure == 1;
  }
  // Sends whose worker died after the commit: from the retry's 200 to the recipient's poll answer.
  double committedUnansweredMax = -1;
  for (const auto& s : traffic.sends()) {
    if (s.storedAfterFailure != 1) continue;
    for (const auto& r : traffic.receivers()) {
      if (r.user.id != s.to) continue;
      for (const auto& d : r.got) {
        if (d.msgId == s.msgId) committedUnansweredMax = std::max(committedUnansweredMax, msBetween(s.answeredAt, d.at));
      }
    }
  }
  const auto deadline = Clock::now() + 10s;
  while (stack_.fcgiWorkerPids().size() != static_cast<size_t>(Stack::kFcgiWorkers) && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(stack_.fcgiWorkerPids().size(), static_cast<size_t>(Stack::kFcgiWorkers));
  size_t pollErrors = 0;
  for (const auto& p : traffic.pollLog()) pollErrors += p.status != 200;

  std::cout << "[cluster] fcgi SIGKILL x" << kills.size() << " during " << total << " sends: " << failed
            << " sends failed (" << storedAnyway << " of them had committed; retry said duplicate), longest "
            << "first-try -> 200 " << longestRetry << " ms; failed polls " << pollErrors
            << "; committed-but-unanswered sends reached their recipient " << committedUnansweredMax
            << " ms after the retry's 200\n"
            << "[cluster] fcgi SIGKILL: send 200 -> delivery before " << show(latencies(traffic, start, kills.front()))
            << ", during/after " << show(latencies(traffic, kills.front(), sendsDone)) << "\n";
}

}  // namespace
}  // namespace im::test
