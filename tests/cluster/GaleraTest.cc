// SPDX-License-Identifier: MIT
// GaleraTest.cc - the service on a 3-node Galera cluster (IM_MYSQL=galera): writers on every node
// store and deliver each message exactly once, in seq order, though their transactions conflict
// in certification; a node SIGKILLed under traffic loses and duplicates nothing, and rejoins Synced.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "tests/cluster/GaleraNodes.h"
#include "tests/integration/ClusterTraffic.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;

class Galera : public ::testing::Test {
 protected:
  std::vector<TestUser> users(const std::string& prefix, int count) {
    std::vector<TestUser> out;
    for (int i = 0; i < count; ++i) out.push_back(api_.newUser(prefix));
    return out;
  }

  // Every sender writes to every receiver, each starting at another one: concurrent sends to
  // one receiver from workers on different nodes bump the same inbox_counters row.
  static std::vector<std::vector<int64_t>> everyoneToEveryone(size_t senders, const std::vector<TestUser>& receivers) {
    std::vector<std::vector<int64_t>> targets(senders);
    for (size_t s = 0; s < senders; ++s) {
      for (size_t r = 0; r < receivers.size(); ++r) targets[s].push_back(receivers[(r + s) % receivers.size()].id);
    }
    return targets;
  }

  long long conflicts() const {
    long long n = 0;
    for (int node = 0; node < GaleraNodes::kNodes; ++node) {
      n += std::stoll(nodes_.status(node, "wsrep_local_cert_failures")) +
           std::stoll(nodes_.status(node, "wsrep_local_bf_aborts"));
    }
    return n;
  }

  // The stored messages of `tag`, the same on every node.
  void expectEveryNodeHolds(const std::string& tag, size_t sends) {
    const std::string query = "SELECT COUNT(*) FROM messages WHERE client_msg_id LIKE '" + tag + "-%'";
    for (int node = 0; node < GaleraNodes::kNodes; ++node) {
      EXPECT_TRUE(nodes_.waitCount(node, query, static_cast<long long>(sends), 30s))
          << "node " << node << " holds " << nodes_.count(node, query) << " of " << sends << " messages";
    }
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  GaleraNodes nodes_{stack_};
};

TEST_F(Galera, WritersOnEveryNodeDeliverEachMessageExactlyOnceInSeqOrder) {
  ASSERT_TRUE(nodes_.waitAllSynced(60s));
  const auto receivers = users("galr", 12);
  const auto senders = users("gals", 6);
  const long long conflictsBefore = conflicts();
  Traffic traffic(stack_, receivers);
  traffic.startPolling();
  ASSERT_TRUE(traffic.waitHeld(30s));
  traffic.startSending(senders, everyoneToEveryone(senders.size(), receivers), 60, 0ms, "gal", false);
  traffic.waitSenders();
  EXPECT_TRUE(traffic.waitDelivered(std::chrono::seconds(kPollTimeoutS + 10)))
      << traffic.delivered() << " of " << traffic.expectedDeliveries() << " delivered";
  traffic.stopPolling();
  ExpectExactlyOnceInOrder(traffic);
  expectEveryNodeHolds("gal", traffic.sends().size());
  // fcgi's 4 workers prefer nodes 0, 1, 2, 0: every node took the service's writes.
  for (int node = 0; node < GaleraNodes::kNodes; ++node) {
    EXPECT_GE(nodes_.serviceConnections(node), 1) << "no worker works on node " << node;
  }
  std::cout << "[galera] " << traffic.sends().size() << " sends from " << senders.size() << " senders to "
            << receivers.size() << " receivers over 3 nodes; certification conflicts and BF aborts: "
            << conflicts() - conflictsBefore << "\n";
}

TEST_F(Galera, ANodeSigkilledUnderTrafficLosesNothingAndRejoinsSynced) {
  ASSERT_TRUE(nodes_.waitAllSynced(60s));
  const auto receivers = users("galkr", 20);
  const auto senders = users("galks", 4);
  Traffic traffic(stack_, receivers);
  traffic.startPolling();
  ASSERT_TRUE(traffic.waitHeld(30s));
  const int perSender = 100;
  traffic.startSending(senders, everyoneToEveryone(senders.size(), receivers), perSender, 10ms, "galk", false);
  ASSERT_TRUE(traffic.waitSent(static_cast<int>(senders.size()) * perSender / 3, 60s));
  const auto killAt = Clock::now();
  nodes_.kill(1, SIGKILL);
  traffic.waitSenders();
  const auto sendsDone = Clock::now();
  EXPECT_TRUE(traffic.waitDelivered(std::chrono::seconds(kPollTimeoutS + 10)))
      << traffic.delivered() << " of " << traffic.expectedDeliveries() << " delivered";
  traffic.stopPolling();
  ExpectExactlyOnceInOrder(traffic);
  int failedFirstTries = 0, duplicates = 0;
  for (const auto& s : traffic.sends()) {
    failedFirstTries += s.firstStatus != 200;
    duplicates += s.duplicate;  // a rerun (fcgi's or the client's) found the first attempt committed
  }

  // Back through `./im up`: the node finds its position in InnoDB and catches up from a donor.
  stack_.restartStopped();
  EXPECT_TRUE(nodes_.waitAllSynced(120s)) << nodes_.log(1).substr(0, 4000);
  expectEveryNodeHolds("galk", traffic.sends().size());
  const std::string rejoinLog = nodes_.log(1);
  const bool ist = rejoinLog.find("IST received") != std::string::npos ||
                   rejoinLog.find("Receiving IST") != std::string::npos;
  std::cout << "[galera] SIGKILL node 1: " << traffic.sends().size() << " sends, " << failedFirstTries
            << " answered non-200 at first and retried by the client; " << duplicates
            << " answered duplicate (a COMMIT whose answer was lost, found by its client_msg_id); after the kill "
            << show(latencies(traffic, killAt, sendsDone)) << "; rejoined by " << (ist ? "IST" : "SST") << "\n";
}

}  // namespace
}  // namespace im::test
