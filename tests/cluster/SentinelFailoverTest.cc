// SPDX-License-Identifier: MIT
// SentinelFailoverTest.cc - the stack on Redis Sentinel (IM_REDIS=sentinel: a primary, a replica, 3
// sentinels) while hundreds of polls are held and senders send: the primary SIGKILLed, then brought
// back (it must rejoin as a replica), then a forced failover that demotes a live primary. Each time:
// every message exactly once, in order; held polls work again without restarting a daemon. PRINTS
// what the failover cost (measured, not asserted).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/cluster/SentinelView.h"
#include "tests/integration/ClusterTraffic.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

constexpr int kReceivers = 60;
constexpr int kSenders = 4;
constexpr int kPerSender = 150;  // 20 ms apart: sending spans the whole failover

class SentinelFailover : public ::testing::Test {
 protected:
  std::vector<TestUser> users(const std::string& prefix, int count) {
    std::vector<TestUser> all;
    for (int i = 0; i < count; ++i) all.push_back(api_.newUser(prefix));
    return all;
  }

  static std::vector<std::vector<int64_t>> spread(size_t senders, const std::vector<TestUser>& receivers) {
    std::vector<std::vector<int64_t>> targets(senders);
    for (size_t s = 0; s < senders; ++s) {
      for (size_t i = 0; i < receivers.size(); ++i) targets[s].push_back(receivers[(i + s * 7) % receivers.size()].id);
    }
    return targets;
  }

  // Sum of the nodes' redis_reconnects (pushd's inbox back on a Redis after an outage).
  long long inboxReconnects() const {
    long long total = 0;
    for (int node = 0; node < Stack::kPushdNodes; ++node) {
      total += stack_.pushdStats(node)->getValue<long long>("redis_reconnects");
    }
    return total;
  }

  // A poll held by pushd is answered by a send to its user, with that message: the wake-up path
  // (session -> node -> list -> inbox) works. A lost wake-up would answer empty after the timeout.
  void expectHeldPollWokenBySend(const std::string& tag) {
    ASSERT_TRUE(stack_.waitForHeldPolls(0, 30s)) << "polls of the traffic are still held";
    const TestUser alice = api_.newUser(tag + "a"), bob = api_.newUser(tag + "b");
    auto poll = std::async(std::launch::async, [&] { return ImClient(stack_.http()).poll(bob.token, 0, kPollTimeoutS); });
    ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s)) << "the poll was not held: " << stack_.logTails(20);
    api_.sendOk(alice.token, bob.id, tag + " wake-up");
    const PollResult woken = poll.get();
    ASSERT_EQ(woken.status, 200) << woken.raw;
    ASSERT_EQ(woken.messages.size(), 1u) << "a held poll was not woken by a send: " << woken.raw;
    EXPECT_EQ(woken.messages.front().body, tag + " wake-up");
  }

  // When the fault happened and when its effects were over, for the figures printed.
  struct Timeline {
    Clock::time_point faultAt, promotedAt, inboxesBackAt;
    int newPrimary = 0;
  };

  // Traffic across `fault` (which makes the primary change): checks and prints what it cost.
  void failoverUnderTraffic(const std::string& tag, const std::function<void(int oldPrimary)>& fault) {
    ASSERT_TRUE(stack_.waitForHeldPolls(0, 30s));
    const auto receivers = users(tag, kReceivers);
    const auto senders = users(tag + "s", kSenders);
    Traffic traffic(stack_, receivers);
    traffic.startPolling();
    ASSERT_TRUE(traffic.waitHeld(30s)) << stack_.heldPolls() << " held";
    traffic.startSending(senders, spread(senders.size(), receivers), kPerSender, 20ms, tag, false);
    ASSERT_TRUE(traffic.waitSent(kSenders * kPerSender / 4, 60s));
    Timeline t;
    ASSERT_NO_FATAL_FAILURE(failOver(fault, t));
    traffic.waitSenders();
    ExpectRecoveredExactlyOnce(traffic);
    checkAndPrint(traffic, receivers, tag, t);
  }

  // Runs the fault and waits for its end: a new primary (sentinels and ROLE agree), and both
  // pushd inboxes popping on it by themselves (no restart).
  void failOver(const std::function<void(int oldPrimary)>& fault, Timeline& t) {
    const int oldPrimary = sentinels_.primaryPort();
    ASSERT_NE(oldPrimary, 0);
    const long long reconnectsBefore = inboxReconnects();
    t.faultAt = Clock::now();
    fault(oldPrimary);
    t.newPrimary = sentinels_.waitForNewPrimary(oldPrimary, 30s);
    t.promotedAt = Clock::now();
    ASSERT_NE(t.newPrimary, 0) << "no failover: " << stack_.logTails(30);
    while (inboxReconnects() < reconnectsBefore + Stack::kPushdNodes && Clock::now() < t.promotedAt + 30s) {
      std::this_thread::sleep_for(20ms);
    }
    t.inboxesBackAt = Clock::now();
    EXPECT_GE(inboxReconnects(), reconnectsBefore + Stack::kPushdNodes) << "a pushd inbox did not follow the failover";
    EXPECT_EQ(sentinels_.liveNodes().size(), static_cast<size_t>(Stack::kPushdNodes)) << "a node is not registered";
  }

  // No send or poll failed, no poll held across the fault waited for its timeout; the figures.
  static void checkAndPrint(const Traffic& traffic, const std::vector<TestUser>& receivers, const std::string& tag,
                            const Timeline& t) {
    size_t failedSends = 0;
    double slowestSendMs = 0;
    for (const auto& s : traffic.sends()) {
      failedSends += s.firstStatus != 200;
      if (s.answeredAt > t.faultAt) slowestSendMs = std::max(slowestSendMs, msBetween(s.firstTry, s.answeredAt));
    }
    const auto& polls = traffic.pollLog();
    const auto pollErrors = std::count_if(polls.begin(), polls.end(), [](const PollLog& p) { return p.status != 200; });
    const size_t timedOut = timedOutAcross(traffic, t.faultAt);
    EXPECT_EQ(failedSends, 0u) << "sends failed during the failover";
    EXPECT_EQ(pollErrors, 0) << "polls failed during the failover";
    EXPECT_EQ(timedOut, 0u) << "polls held across the failover waited for their timeout";
    std::set<int64_t> everyone;
    for (const auto& r : receivers) everyone.insert(r.id);
    std::cout << "[sentinel] " << tag << ": fault -> sentinels name " << t.newPrimary << " (ROLE master) "
              << msBetween(t.faultAt, t.promotedAt) << " ms; -> both pushd inboxes popping there "
              << msBetween(t.faultAt, t.inboxesBackAt) << " ms; -> first delivery of a message sent after the fault "
              << firstDeliveryAfter(traffic, t.faultAt, everyone) << " ms\n"
              << "[sentinel] " << tag << ": failed sends " << failedSends << ", slowest send answered after the fault "
              << slowestSendMs << " ms, failed polls " << pollErrors << ", answered with Retry-After "
              << traffic.retryAfters() << ", held polls that timed out " << timedOut << "\n"
              << "[sentinel] " << tag << ": send 200 -> delivery, sent from the fault on "
              << show(latencies(traffic, t.faultAt, Clock::now())) << "\n";
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  SentinelView sentinels_{stack_};
};

TEST_F(SentinelFailover, APrimaryKilledUnderTrafficLosesAndDuplicatesNothingAndHeldPollsWorkAgain) {
  failoverUnderTraffic("sfkill", [this](int oldPrimary) { sentinels_.kill(oldPrimary); });
  expectHeldPollWokenBySend("sfkillp");
}

// `./im up` restarts the killed node; it must join the new primary, never come back as a second
// (empty) primary that the sentinels or our clients would pick.
TEST_F(SentinelFailover, TheOldPrimaryRestartedComesBackAsAReplica) {
  const int primary = sentinels_.primaryPort();
  ASSERT_NE(primary, 0);
  stack_.restartStopped();
  for (const int port : sentinels_.dataPorts()) {
    if (port == primary) continue;
    const auto deadline = Clock::now() + 30s;
    while (!(sentinels_.role(port) == "slave" && sentinels_.replicaLinked(port)) && Clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(sentinels_.role(port), "slave");
    EXPECT_TRUE(sentinels_.replicaLinked(port)) << "redis-" << port << " did not sync from " << primary;
  }
  EXPECT_EQ(sentinels_.primaryPort(), primary);
  EXPECT_EQ(sentinels_.role(primary), "master");
  expectHeldPollWokenBySend("sfback");
}

// SENTINEL FAILOVER demotes a primary that stays up: connections to it now meet READONLY (fcgi's
// writes) or UNBLOCKED (pushd's blocking pop); each must leave it for the new primary.
TEST_F(SentinelFailover, AForcedFailoverDemotesALivePrimaryAndEveryClientFollows) {
  for (const int port : sentinels_.dataPorts()) {
    const auto deadline = Clock::now() + 30s;
    while (sentinels_.role(port) == "slave" && !sentinels_.replicaLinked(port) && Clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    ASSERT_FALSE(sentinels_.role(port).empty()) << "redis-" << port << " is not running (previous test?)";
  }
  int demoted = 0;
  failoverUnderTraffic("sfforce", [this, &demoted](int oldPrimary) {
    demoted = oldPrimary;
    sentinels_.forceFailover();
  });
  const auto deadline = Clock::now() + 30s;
  while (sentinels_.role(demoted) != "slave" && Clock::now() < deadline) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sentinels_.role(demoted), "slave") << "the old primary was not demoted";
  expectHeldPollWokenBySend("sfforcep");
}

}  // namespace
}  // namespace im::test
