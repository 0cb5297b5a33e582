// SPDX-License-Identifier: MIT
// NodeSocketsTest.cc - which way a hand-over goes (the node's unix socket when this host has it,
// else TCP), and what a failed one over the socket proves: a dead node only when nothing listens
// on its socket any more; anything else sends the node over TCP for a while, never marks it dead.
#include "fcgi/NodeSockets.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <optional>

#include "common/PushdSocket.h"
#include "common/UniqueFd.h"
#include "tests/support/TempDir.h"

namespace im::fcgi {
namespace {

class HandClock final : public common::Clock {
 public:
  int64_t steadyMs() const override { return now; }
  int64_t wallMs() const override { return 1'800'000'000'000 + now; }
  int64_t now = 1000;
};

// A node's listening socket in the test's directory; close() leaves the file, as a SIGKILL does.
class FakeNode {
 public:
  explicit FakeNode(const std::string& path) : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.data(), path.size());
    EXPECT_EQ(::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0) << path;
    EXPECT_EQ(::listen(fd_.get(), 16), 0);
  }
  void kill() { fd_.reset(); }

 private:
  common::UniqueFd fd_;
};

class NodeSocketsTest : public ::testing::Test {
 protected:
  test::TempDir dir{"im-nodesock"};
  HandClock clock;
  NodeSockets sockets{dir.path(), clock};
  const std::string node = "127.0.0.1:9101";
  const std::string path = common::pushdSocketPath(dir.path(), node);
};

TEST_F(NodeSocketsTest, ANodeWithASocketHereIsReachedThroughIt) {
  const FakeNode live(path);
  EXPECT_EQ(sockets.socketFor(node), path);
}

TEST_F(NodeSocketsTest, ANodeWithoutOneHereGoesOverTcp) {
  EXPECT_EQ(sockets.socketFor("10.0.0.7:9101"), "") << "a node of another host has no file here";
  std::ofstream(path) << "not a socket";
  EXPECT_EQ(sockets.socketFor(node), "");
  HandClock other;
  const FakeNode live(common::pushdSocketPath(dir.path(), "127.0.0.1:9102"));
  EXPECT_EQ(NodeSockets("", other).socketFor("127.0.0.1:9102"), "") << "no pushd.socket_dir: TCP only";
}

// SIGKILL: the file stays, nothing listens. That proves the node dead, as a TCP refusal does.
TEST_F(NodeSocketsTest, AFailureOnASocketNobodyListensOnProvesTheNodeDead) {
  FakeNode node0(path);
  node0.kill();
  EXPECT_TRUE(sockets.provesDead(node));
}

// nginx could not get through (permissions, another /tmp, a full backlog) while the node
// listens: not dead. Its polls go over TCP for a while, then the socket is tried again.
TEST_F(NodeSocketsTest, AFailureWhileTheNodeListensSendsItOverTcpForAWhile) {
  const FakeNode live(path);
  EXPECT_FALSE(sockets.provesDead(node));
  EXPECT_EQ(sockets.socketFor(node), "");
  EXPECT_EQ(sockets.socketFor("127.0.0.1:9102"), "") << "(no such node here either way)";
  clock.now += NodeSockets::kTcpAfterFailureMs - 1;
  EXPECT_EQ(sockets.socketFor(node), "");
  clock.now += 1;
  EXPECT_EQ(sockets.socketFor(node), path) << "a fixed configuration heals without a restart";
}

// The file went (a node stopping unlinks it; or an operator removed it): proves nothing.
TEST_F(NodeSocketsTest, AFailureOnAMissingSocketProvesNothing) {
  EXPECT_FALSE(sockets.provesDead(node));
  HandClock other;
  EXPECT_FALSE(NodeSockets("", other).provesDead(node)) << "no directory: nothing to probe";
}

}  // namespace
}  // namespace im::fcgi
