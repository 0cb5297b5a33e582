// SPDX-License-Identifier: MIT
// FailoverTest.cc - invariant 2 across failures: a pushd node killed mid-poll, an fcgi worker
// killed, Redis restarted, a live node dropped from the live-node set. Nothing is lost or
// duplicated; a held poll is still woken by a send.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <thread>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;

class Failover : public ::testing::Test {
 protected:
  // Held polls of one node, or -1 when it does not answer.
  int heldOn(int node) const {
    try {
      return stack_.pushdStats(node)->getValue<int>("held_polls");
    } catch (const std::exception&) {
      return -1;
    }
  }
  // Starts a poll of `user` and waits until a node holds it: that node's index, or -1 when the
  // poll was answered at once (no live node yet: fcgi says Retry-After) or nothing held it.
  int holdPoll(const TestUser& user, int64_t since, std::future<PollResult>& poll) {
    poll = std::async(std::launch::async, [this, token = user.token, since] { return api_.poll(token, since, 30); });
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      for (int node = 0; node < Stack::kPushdNodes; ++node) {
        if (heldOn(node) == 1) return node;
      }
      if (poll.wait_for(20ms) == std::future_status::ready) return -1;
    }
    return -1;
  }
  // holdPoll, again while a poll is answered at once (after Redis lost its data a node answers
  // its held polls, and a worker's ring is up to a second old): as a client obeying
  // Retry-After would, only faster. -1 when nothing held one within 15 s.
  int holdPollOnceNodesAreBack(const TestUser& user, int64_t since, std::future<PollResult>& poll) {
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (std::chrono::steady_clock::now() < deadline) {
      const int node = holdPoll(user, since, poll);
      if (node >= 0) return node;
      poll.wait();
      std::this_thread::sleep_for(200ms);
    }
    return -1;
  }
  bool healthy() const { return api_.http().get("/im/health").status == 200; }
  // How many lines of `node`'s log contain `text`.
  int logLines(const std::string& nodeId, const std::string& text) const {
    std::ifstream in(stack_.varDir() + "/log/pushd-" + nodeId.substr(nodeId.rfind(':') + 1) + ".log");
    int n = 0;
    for (std::string line; std::getline(in, line);) n += line.find(text) != std::string::npos ? 1 : 0;
    return n;
  }
  // Waits until `node` is in im:nodes again (its next heartbeat); false after 10 s.
  bool registered(const std::string& nodeId) const {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto r = stack_.redisCli({"ZSCORE", "im:nodes", nodeId});
      if (r.exitCode == 0 && !r.output.empty() && r.output.find_first_of("0123456789") == 0) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

// nginx sends a poll whose node died back to a worker (IM_FAILED_NODE), which hands it to a
// live node: the client sees neither an error nor a lost wake-up.
TEST_F(Failover, APollHeldByAKilledPushdNodeMovesToALiveNode) {
  const TestUser alice = api_.newUser("fo_alice");
  const TestUser bob = api_.newUser("fo_bob");
  std::future<PollResult> poll;
  const int node = holdPoll(bob, 0, poll);
  ASSERT_GE(node, 0) << "the poll never reached pushd";
  const int survivor = 1 - node;

  stack_.killPushd(node, SIGKILL);
  bool moved = false;
  for (int i = 0; i < 500 && !moved; ++i) {
    moved = heldOn(survivor) == 1;
    if (!moved) std::this_thread::sleep_for(20ms);
  }
  if (!moved && poll.wait_for(0s) == std::future_status::ready) {
    FAIL() << "the poll was answered instead of moved: " << poll.get().raw;
  }
  ASSERT_TRUE(moved) << "the poll did not move to the surviving node";
  const int64_t first = api_.sendOk(alice.token, bob.id, "after failover");
  ASSERT_EQ(poll.wait_for(10s), std::future_status::ready) << "the moved poll was not woken by a send";
  PollResult r = poll.get();
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.messages.size(), 1u) << r.raw;
  EXPECT_EQ(r.messages[0].msgId, first);

  // The next poll goes straight to the survivor, and is woken there.
  std::future<PollResult> again;
  ASSERT_EQ(holdPoll(bob, 1, again), survivor);
  const int64_t second = api_.sendOk(alice.token, bob.id, "still delivered");
  ASSERT_EQ(again.wait_for(10s), std::future_status::ready);
  r = again.get();
  ASSERT_EQ(r.messages.size(), 1u) << r.raw;
  EXPECT_EQ(r.messages[0].msgId, second);
  EXPECT_EQ(r.messages[0].seq, 2);

  stack_.restartStopped();  // `im up` restarts only the dead node
  EXPECT_EQ(heldOn(node), 0);
}

TEST_F(Failover, AKilledFcgiWorkerIsReplacedAndRequestsKeepSucceeding) {
  const TestUser alice = api_.newUser("fo_worker");
  const TestUser bob = api_.newUser("fo_worker");
  ASSERT_EQ(stack_.fcgiWorkerPids().size(), static_cast<size_t>(Stack::kFcgiWorkers));
  const pid_t victim = stack_.killOneFcgiWorker();
  for (int i = 0; i < 20; ++i) {
    const HttpResponse r = api_.send(alice.token, bob.id, "msg " + std::to_string(i), "w-" + std::to_string(i));
    // A request in the victim's hands at the moment it died may fail; the retry must not duplicate.
    if (r.status != 200) {
      ASSERT_EQ(api_.send(alice.token, bob.id, "msg " + std::to_string(i), "w-" + std::to_string(i)).status, 200);
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::vector<pid_t> workers;
  do {
    workers = stack_.fcgiWorkerPids();
    if (workers.size() == static_cast<size_t>(Stack::kFcgiWorkers)) break;
    std::this_thread::sleep_for(50ms);
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(workers.size(), static_cast<size_t>(Stack::kFcgiWorkers)) << "the master did not respawn a worker";
  EXPECT_EQ(std::count(workers.begin(), workers.end(), victim), 0);
  const PollResult r = api_.poll(bob.token, 0, 0, 500);
  ASSERT_EQ(r.messages.size(), 20u) << r.raw;
  for (size_t i = 0; i < r.messages.size(); ++i) EXPECT_EQ(r.messages[i].body, "msg " + std::to_string(i));
}

// Acknowledgements wait in the worker that took the poll (fcgi/store/AckQueue). Killed with
// them (SIGKILL: nothing is written), they are repaired by the device's next poll, which
// acknowledges from the seq still stored: the inbox rows go and peer_delivered is set. A worker
// stopped with SIGTERM (as at recycling or a reload) writes its queue before it exits.
// A worker that stops (SIGTERM, or after fcgi.max_requests) closes its MariaDB connection: the
// server's log gets no "Aborted connection" warning per recycled worker, every few seconds
// under load.
TEST_F(Failover, AStoppedWorkerClosesItsDatabaseConnection) {
  const TestUser alice = api_.newUser("fo_quit");
  api_.sendOk(alice.token, alice.id, "every worker has used its connection");
  const auto aborted = [&] { return stack_.sql("SHOW GLOBAL STATUS LIKE 'Aborted_clients'"); };
  const auto before = aborted();
  const std::vector<pid_t> old = stack_.fcgiWorkerPids();
  for (const pid_t pid : old) ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  bool replaced = false;
  while (!replaced && std::chrono::steady_clock::now() < deadline) {
    const std::vector<pid_t> now = stack_.fcgiWorkerPids();
    replaced = now.size() == old.size() &&
               std::none_of(now.begin(), now.end(), [&](pid_t p) { return std::count(old.begin(), old.end(), p) > 0; });
    if (!replaced) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(replaced) << "the master did not replace its stopped workers";
  ASSERT_TRUE(healthy());
  EXPECT_EQ(aborted(), before) << "a stopped worker left its MariaDB connection without closing it";
}

TEST_F(Failover, AcksQueuedInAKilledWorkerAreRepairedAndAStoppedOneWritesThem) {
  const TestUser alice = api_.newUser("fo_ack");
  const TestUser bob = api_.newUser("fo_ack");
  const TestUser carol = api_.newUser("fo_ack");
  const int64_t m1 = api_.sendOk(alice.token, bob.id, "one");
  const int64_t c1 = api_.sendOk(alice.token, carol.id, "one");
  const std::string bobRows = "SELECT COUNT(*) FROM inbox WHERE user_id = " + std::to_string(bob.id);
  const std::string carolRows = "SELECT COUNT(*) FROM inbox WHERE user_id = " + std::to_string(carol.id);
  ASSERT_EQ(api_.poll(bob.token, 1, 0).status, 200);  // acknowledges seq 1: queued
  for (const pid_t pid : stack_.fcgiWorkerPids()) ::kill(pid, SIGKILL);
  const auto respawned = [&] {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (stack_.fcgiWorkerPids().size() == static_cast<size_t>(Stack::kFcgiWorkers) && healthy()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  };
  ASSERT_TRUE(respawned()) << "the master did not respawn its workers";
  ASSERT_EQ(api_.poll(bob.token, 1, 0).status, 200);  // the same cursor again, as after a timeout
  EXPECT_TRUE(stack_.waitForCount(bobRows, 0, 5s)) << "the lost acknowledgement was not repaired";
  const std::string delivered = "SELECT COUNT(*) FROM conversations WHERE user_id = " + std::to_string(bob.id) +
                                " AND delivered_msg_id = " + std::to_string(m1);
  EXPECT_TRUE(stack_.waitForCount(delivered, 1, 5s));

  ASSERT_EQ(api_.poll(carol.token, 1, 0).status, 200);
  for (const pid_t pid : stack_.fcgiWorkerPids()) ::kill(pid, SIGTERM);
  EXPECT_TRUE(stack_.waitForCount(carolRows, 0, 5s)) << "no poll of carol's since: the stopping worker wrote it";
  EXPECT_TRUE(stack_.waitForCount("SELECT COUNT(*) FROM conversations WHERE user_id = " + std::to_string(carol.id) +
                                      " AND delivered_msg_id = " + std::to_string(c1),
                                  1, 5s));
  ASSERT_TRUE(respawned());
}

TEST_F(Failover, ARedisRestartLosesNoMessageAndHeldPollsStillWake) {
  const TestUser alice = api_.newUser("fo_redis");
  const TestUser bob = api_.newUser("fo_redis");
  api_.sendOk(alice.token, bob.id, "before 1");
  api_.sendOk(alice.token, bob.id, "before 2");
  stack_.restartRedis();
  // Every worker's Redis connection died with the old server: each must reconnect by itself,
  // not answer 503 once per worker. Ask more often than there are workers.
  for (int i = 0; i < 2 * Stack::kFcgiWorkers; ++i) EXPECT_TRUE(healthy()) << "health request " << i;
  api_.sendOk(alice.token, bob.id, "after 1");
  PollResult r = api_.poll(bob.token, 0, 0);
  ASSERT_EQ(r.messages.size(), 3u) << r.raw;
  EXPECT_EQ(r.messages[2].body, "after 1");
  EXPECT_EQ(r.next, 3);

  // pushd must re-register with the new Redis (heartbeat) and drain its list again. A node that
  // finds itself missing from the new im:nodes answers its held polls empty (their sessions were
  // lost with Redis), and a worker's ring is up to a second old: wait until every node is back,
  // so the poll held below is not one of those (an empty answer there only means "poll again").
  const auto everyNodeBack = std::chrono::steady_clock::now() + 15s;
  while (stack_.redisCli({"ZCARD", "im:nodes"}).output.find(std::to_string(Stack::kPushdNodes)) != 0 &&
         std::chrono::steady_clock::now() < everyNodeBack) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(stack_.redisCli({"ZCARD", "im:nodes"}).output.find(std::to_string(Stack::kPushdNodes)), 0u)
      << "the push nodes did not all re-register after the Redis restart";
  std::future<PollResult> poll;
  const int node = holdPollOnceNodesAreBack(bob, 3, poll);
  ASSERT_GE(node, 0) << "no poll was held after the Redis restart";
  api_.sendOk(alice.token, bob.id, "after 2");
  ASSERT_EQ(poll.wait_for(10s), std::future_status::ready) << "a send after the Redis restart did not wake the poll";
  r = poll.get();
  ASSERT_EQ(r.messages.size(), 1u) << r.raw;
  EXPECT_EQ(r.messages[0].body, "after 2");
  EXPECT_EQ(r.messages[0].seq, 4);
}

// fcgi drops a node from im:nodes after one failed hand-over (a connect that timed out under
// overload, say). The node re-registers with its next heartbeat and keeps the polls it holds:
// the sessions naming it are intact. (It used to answer every held poll, so one timed-out
// connect turned into a wave of thousands of re-polls: bench/README.md, 30,000 at once.)
TEST_F(Failover, ANodeDroppedFromTheLiveSetKeepsItsHeldPolls) {
  const TestUser alice = api_.newUser("fo_drop");
  const TestUser bob = api_.newUser("fo_drop");
  std::future<PollResult> poll;
  const int node = holdPollOnceNodesAreBack(bob, 0, poll);
  ASSERT_GE(node, 0) << "the poll never reached pushd";
  const std::string id = stack_.pushdNodeId(node);
  const std::string kept = "registered again, held polls kept";
  const std::string handedBack = "handing held polls back";
  const int before = logLines(id, kept), handBacksBefore = logLines(id, handedBack);  // earlier tests' Redis restart

  ASSERT_EQ(stack_.redisCli({"ZREM", "im:nodes", id}).exitCode, 0);  // what NodeDirectory::markDead does
  ASSERT_TRUE(registered(id)) << "the dropped node did not register again";
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (logLines(id, kept) == before && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  ASSERT_GT(logLines(id, kept), before) << "the node did not say it kept its held polls";
  EXPECT_EQ(logLines(id, handedBack), handBacksBefore);
  ASSERT_EQ(poll.wait_for(0s), std::future_status::timeout) << "the held poll was answered: " << poll.get().raw;
  EXPECT_EQ(heldOn(node), 1);

  const int64_t sent = api_.sendOk(alice.token, bob.id, "still here");
  ASSERT_EQ(poll.wait_for(10s), std::future_status::ready) << "the kept poll was not woken by a send";
  const PollResult r = poll.get();
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.messages.size(), 1u) << r.raw;
  EXPECT_EQ(r.messages[0].msgId, sent);
}

// FLUSHALL took the sessions naming the node too: the node cannot be found for its held polls
// any more, so it answers them (empty) and each client re-polls, recording its session again.
TEST_F(Failover, ANodeThatRedisForgotAnswersItsHeldPollsSoTheyReRecord) {
  const TestUser bob = api_.newUser("fo_flush");
  std::future<PollResult> poll;
  const int node = holdPollOnceNodesAreBack(bob, 0, poll);
  ASSERT_GE(node, 0) << "the poll never reached pushd";
  const std::string id = stack_.pushdNodeId(node);
  const int handBacksBefore = logLines(id, "handing held polls back");
  ASSERT_EQ(stack_.redisCli({"FLUSHALL"}).exitCode, 0);
  ASSERT_EQ(poll.wait_for(10s), std::future_status::ready) << "the node kept a poll whose session Redis lost";
  const PollResult r = poll.get();
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.messages.empty()) << r.raw;
  EXPECT_GT(logLines(id, "handing held polls back"), handBacksBefore);
  for (int n = 0; n < Stack::kPushdNodes; ++n) ASSERT_TRUE(registered(stack_.pushdNodeId(n)));  // for the next tests
}

}  // namespace
}  // namespace im::test
