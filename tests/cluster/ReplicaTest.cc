// SPDX-License-Identifier: MIT
// ReplicaTest.cc - history and search on an async read replica (IM_MYSQL_REPLICA=1): a replica
// that lags (its SQL thread stopped) never hides a delivered message; once caught up it serves
// the reads; a replica that is down costs nothing but the fallback.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <string>

#include "tests/cluster/GaleraNodes.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/SearchClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;

constexpr int kReplica = GaleraNodes::kReplica;

class Replica : public ::testing::Test {
 protected:
  // Statements the replica executed for clients (the service's prepared statements).
  long long replicaExecutes() const { return std::stoll(nodes_.status(kReplica, "Com_stmt_execute")); }

  bool historyHas(const TestUser& reader, const TestUser& peer, int64_t msgId) const {
    const HttpResponse h = api_.history(reader.token, peer.id, 0, 50);
    return h.status == 200 && h.body.find("\"msg_id\":" + std::to_string(msgId)) != std::string::npos;
  }

  std::string countOf(int64_t msgId) const { return "SELECT COUNT(*) FROM messages WHERE id = " + std::to_string(msgId); }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  GaleraNodes nodes_{stack_};
};

TEST_F(Replica, ALaggingReplicaNeverHidesADeliveredMessageFromHistoryOrSearch) {
  const TestUser alice = api_.newUser("repa");
  const TestUser bob = api_.newUser("repb");
  const int64_t first = api_.sendOk(alice.token, bob.id, "before the lag");
  ASSERT_TRUE(nodes_.waitCount(kReplica, countOf(first), 1, 30s)) << "the replica does not replicate";

  nodes_.sql(kReplica, "STOP SLAVE SQL_THREAD");
  const int64_t lagged = api_.sendOk(alice.token, bob.id, "while the replica lags zanzibar");
  const PollResult delivered = api_.poll(bob.token, 0, 5);
  ASSERT_EQ(delivered.status, 200);
  ASSERT_FALSE(delivered.messages.empty());
  EXPECT_EQ(delivered.messages.back().msgId, lagged);
  EXPECT_EQ(nodes_.count(kReplica, countOf(lagged)), 0) << "the replica was meant to lag";
  EXPECT_TRUE(historyHas(bob, alice, lagged)) << "bob's history hides a message he was delivered";
  EXPECT_TRUE(historyHas(alice, bob, lagged)) << "alice's history hides the message she sent";
  EXPECT_EQ(found(search(stack_.http(), bob, "zanzibar")).ids, std::vector<int64_t>{lagged});

  nodes_.sql(kReplica, "START SLAVE SQL_THREAD");
  ASSERT_TRUE(nodes_.waitCount(kReplica, countOf(lagged), 1, 30s));
  const long long executesBefore = replicaExecutes();
  EXPECT_TRUE(historyHas(bob, alice, lagged));
  EXPECT_GT(replicaExecutes(), executesBefore) << "a caught-up replica served no read";
}

TEST_F(Replica, AReplicaThatIsDownLeavesHistoryOnThePrimary) {
  const TestUser alice = api_.newUser("repda");
  const TestUser bob = api_.newUser("repdb");
  nodes_.kill(kReplica, SIGKILL);
  const int64_t id = api_.sendOk(alice.token, bob.id, "with the replica down");
  EXPECT_TRUE(historyHas(bob, alice, id));
  EXPECT_TRUE(historyHas(bob, alice, id));  // the second read skips the dead replica at once
  stack_.restartStopped();
  EXPECT_TRUE(nodes_.waitCount(kReplica, countOf(id), 1, 30s)) << "the restarted replica does not catch up";
}

}  // namespace
}  // namespace im::test
