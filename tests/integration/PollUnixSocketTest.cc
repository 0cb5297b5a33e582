// SPDX-License-Identifier: MIT
// PollUnixSocketTest.cc - the poll hand-over over the nodes' unix sockets on the local stack
// (`./im up` sets pushd.socket_dir): a held poll came in on the socket (pushd's /stats,
// accepted_unix), and delivery, timeouts and a killed node's failover work over it. A socket
// nginx cannot reach (chmod 000) sends the polls over TCP and never marks the live node dead.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <thread>

#include "common/PushdSocket.h"
#include "fcgi/redis/NodeDirectory.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;

// The held poll is answered within 10 s with exactly the message `msgId`, and next is its seq.
::testing::AssertionResult WokenWith(std::future<PollResult>& poll, int64_t msgId) {
  if (poll.wait_for(10s) != std::future_status::ready) return ::testing::AssertionFailure() << "not woken";
  const PollResult r = poll.get();
  if (r.status != 200 || r.messages.size() != 1 || r.messages[0].msgId != msgId || r.next != r.messages[0].seq) {
    return ::testing::AssertionFailure() << "want message " << msgId << ", got " << r.status << " " << r.raw;
  }
  return ::testing::AssertionSuccess();
}

class PollUnixSocket : public ::testing::Test {
 protected:
  // One counter (or gauge) of a node's /stats, -1 when the node does not answer.
  long long stat(int node, const std::string& name) const {
    try {
      return stack_.pushdStats(node)->getValue<long long>(name);
    } catch (const std::exception&) {
      return -1;
    }
  }
  std::string socketOf(int node) const {
    return common::pushdSocketPath(stack_.varDir() + "/run", stack_.pushdNodeId(node));
  }
  // Starts a poll and waits until a node holds it: that node, or -1.
  int holdPoll(const TestUser& user, int64_t since, std::future<PollResult>& poll) {
    poll = std::async(std::launch::async, [this, token = user.token, since] { return api_.poll(token, since, 30); });
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      for (int node = 0; node < Stack::kPushdNodes; ++node) {
        if (stat(node, "held_polls") == 1) return node;
      }
      if (poll.wait_for(20ms) == std::future_status::ready) return -1;
    }
    return -1;
  }
  // Waits until every node is in im:nodes, then until every worker's ring has been re-read since
  // (NodeDirectory keeps it kCacheMs): until then a worker that saw a node dead may still send
  // that node's users to another node, which is right for the client but not what a test of
  // "the poll stays on its node" can assert. False when a node is not registered within 10 s.
  bool everyNodeInEveryRing() const {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (int node = 0; node < Stack::kPushdNodes; ++node) {
      for (;;) {
        const CommandResult r = stack_.redisCli({"ZSCORE", "im:nodes", stack_.pushdNodeId(node)});
        if (r.exitCode == 0 && r.output.find_first_of("0123456789") == 0) break;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(20ms);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(fcgi::NodeDirectory::kCacheMs) + 100ms);
    return true;
  }
  std::string readLog(const std::string& name) const {
    std::ifstream in(stack_.varDir() + "/log/" + name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(PollUnixSocket, APollIsHeldOverTheNodesSocketAndWokenBySend) {
  const TestUser alice = api_.newUser("ux_alice");
  const TestUser bob = api_.newUser("ux_bob");
  long long before[Stack::kPushdNodes];
  for (int node = 0; node < Stack::kPushdNodes; ++node) {
    struct stat st{};
    ASSERT_TRUE(::stat(socketOf(node).c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) << "no socket at " << socketOf(node);
    before[node] = stat(node, "accepted_unix");
  }
  std::future<PollResult> poll;
  const int node = holdPoll(bob, 0, poll);
  ASSERT_GE(node, 0) << "the poll never reached pushd";
  EXPECT_EQ(stat(node, "accepted_unix"), before[node] + 1) << "the held poll did not come in on the socket";
  EXPECT_TRUE(WokenWith(poll, api_.sendOk(alice.token, bob.id, "over the socket")));
}

TEST_F(PollUnixSocket, AHeldPollTimesOutEmptyOverTheSocket) {
  const TestUser carol = api_.newUser("ux_carol");
  long long before = 0;
  for (int node = 0; node < Stack::kPushdNodes; ++node) before += stat(node, "accepted_unix");
  const PollResult r = api_.poll(carol.token, 0, 1);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.messages.empty()) << r.raw;
  EXPECT_EQ(r.next, 0);
  long long after = 0;
  for (int node = 0; node < Stack::kPushdNodes; ++node) after += stat(node, "accepted_unix");
  EXPECT_EQ(after, before + 1) << "the timed-out poll was not held over a socket";
}

// SIGKILL leaves the socket file with nobody listening: the worker's probe proves the node
// dead, and the poll moves to the survivor (over its socket) without the client noticing.
TEST_F(PollUnixSocket, APollHeldOverTheSocketOfAKilledNodeMovesToALiveNode) {
  const TestUser frank = api_.newUser("ux_frank");
  const TestUser gina = api_.newUser("ux_gina");
  std::future<PollResult> poll;
  const int node = holdPoll(gina, 0, poll);
  ASSERT_GE(node, 0);
  const int survivor = 1 - node;
  const long long survivorUnix = stat(survivor, "accepted_unix");
  stack_.killPushd(node, SIGKILL);
  bool moved = false;
  for (int i = 0; i < 500 && !moved; ++i) {
    moved = stat(survivor, "held_polls") == 1;
    if (!moved) std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(moved) << "the poll did not move to the surviving node";
  EXPECT_GT(stat(survivor, "accepted_unix"), survivorUnix) << "the moved poll did not come in on the survivor's socket";
  EXPECT_TRUE(WokenWith(poll, api_.sendOk(frank.token, gina.id, "after the kill")));

  stack_.restartStopped();  // the restarted node replaces the file its predecessor left
  EXPECT_EQ(stat(node, "held_polls"), 0);
  EXPECT_EQ(common::probeUnixSocket(socketOf(node)), common::UnixProbe::Listening);
}

// Like /im-pushd/ (ApiContractTest): a client cannot name a socket for nginx to connect to.
TEST_F(PollUnixSocket, TheUnixHandOverLocationIsNotReachableFromOutside) {
  const std::string target = "/im-pushd-unix/" + stack_.pushdNodeId(0) + socketOf(0) + "/hold?uid=1&session=1&since=0&timeout=1";
  const long long before = stat(0, "accepted_unix");
  EXPECT_TRUE(IsApiError(api_.http().get(target), 404, "not_found"));
  EXPECT_EQ(stat(0, "accepted_unix"), before);
}

// Last: the workers that saw this failure send the node over TCP for the next 30 s.
// nginx's workers cannot connect (chmod 000: as nobody under root, or as the owner otherwise),
// while the node is alive and listens. The poll is held over TCP by that same node, which stays
// in im:nodes: a socket out of nginx's reach never costs a live node its polls.
TEST_F(PollUnixSocket, ASocketNginxCannotReachFallsBackToTcpWithoutMarkingTheNodeDead) {
  ASSERT_TRUE(everyNodeInEveryRing()) << "a node did not register again after the kill above";
  const TestUser dave = api_.newUser("ux_dave");
  std::future<PollResult> first;
  const int node = holdPoll(dave, 0, first);  // which node dave's polls go to
  ASSERT_GE(node, 0);
  const TestUser erin = api_.newUser("ux_erin");
  api_.sendOk(erin.token, dave.id, "wake");
  ASSERT_EQ(first.wait_for(10s), std::future_status::ready);
  const PollResult woken = first.get();
  ASSERT_EQ(woken.messages.size(), 1u) << woken.raw;

  const std::string path = socketOf(node);
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  const std::string pushdLog = "pushd-" + std::to_string(stack_.pushdPorts().at(static_cast<size_t>(node))) + ".log";
  std::future<PollResult> poll;
  const int held = holdPoll(dave, woken.next, poll);
  ::chmod(path.c_str(), 0666);
  ASSERT_EQ(held, node) << "the poll moved off its live node";
  EXPECT_NE(readLog("nginx-error.log").find("connect() to unix:" + path + " failed (13: Permission denied)"),
            std::string::npos)
      << "nginx got through a socket it had no right to";
  const CommandResult score = stack_.redisCli({"ZSCORE", "im:nodes", stack_.pushdNodeId(node)});
  EXPECT_NE(score.output.find_first_of("0123456789"), std::string::npos) << "the live node was dropped: " << score.output;
  EXPECT_EQ(readLog(pushdLog).find("from the live-node set"), std::string::npos)
      << "the node was marked dead and had to register again";
  EXPECT_NE(readLog("fcgi.log").find("polls go over TCP for"), std::string::npos) << "no warning says why";

  EXPECT_TRUE(WokenWith(poll, api_.sendOk(erin.token, dave.id, "over tcp")));
}

}  // namespace
}  // namespace im::test
