// SPDX-License-Identifier: MIT
// PollServerTest.cc - the HTTP side over real loopback sockets: routing, errors, one answer per
// held connection, a client close reported as such, an answer given from inside hold(), and the
// push leg timed from the answer's own start, a head never finished closed after its timeout; the
// same over the node's unix socket. The registry is replaced by a recording PollHandler.
#include "pushd/PollServer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "FakeClock.h"
#include "common/PushdSocket.h"
#include "tests/support/TempDir.h"

namespace im::pushd {
namespace {

// A blocking client socket: connect (to the loopback port or the unix socket), send, read
// until the server closes.
class Client {
 public:
  explicit Client(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  }
  explicit Client(const std::string& unixPath) : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, unixPath.data(), std::min(unixPath.size(), sizeof addr.sun_path - 1));
    EXPECT_EQ(::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0) << unixPath;
  }
  void send(const std::string& bytes) { EXPECT_EQ(::send(fd_.get(), bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size())); }
  std::string readAll() {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_.get(), buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<size_t>(n));
    return out;
  }
  void close() { fd_.reset(); }

 private:
  common::UniqueFd fd_;
};

std::string get(const std::string& target) { return "GET " + target + " HTTP/1.0\r\nConnection: close\r\n\r\n"; }

// Records what the server asks; answers a uid-99 poll at once from inside hold(), as the
// registry does with a buffered run (loop thread, like every PollHandler call).
class RecordingHandler final : public PollHandler {
 public:
  PollId hold(common::HoldRequest request, net::ConnectionId connection) override {
    heldUid = request.uid;
    if (request.uid == 99) {
      server->respond(connection, Answer{"{\"at\":\"once\"}", 0});
      return 0;
    }
    heldConnection = connection;
    return 42;
  }
  void clientGone(PollId poll) override {
    openWhenGone = server->connections();
    gone = poll;
  }
  std::string stats() const override { return "{\"held_polls\":0}"; }

  PollServer* server = nullptr;
  std::atomic<net::ConnectionId> heldConnection{0};
  std::atomic<uint64_t> heldUid{0};
  std::atomic<PollId> gone{0};
  std::atomic<size_t> openWhenGone{99};
};

class PollServerTest : public ::testing::Test {
 protected:
  explicit PollServerTest(const std::string& unixPath = "") : server(loop, clock, stats, "127.0.0.1", 0, unixPath) {
    handler.server = &server;
    server.start(handler);
    loop.start();
  }
  ~PollServerTest() override { loop.stop(); }

  template <typename Pred>
  bool waitFor(Pred pred) {
    for (int i = 0; i < 500 && !pred(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return pred();
  }
  template <typename T>
  T inLoop(const std::function<T()>& task) {
    std::promise<T> result;
    loop.runInLoop([&] { result.set_value(task()); });
    return result.get_future().get();
  }

  // One number of /stats (push_latency_samples, accepted_unix...), read on the loop thread
  // (Stats is the loop's).
  uint64_t statsField(const std::string& name) {
    const std::string json = inLoop<std::string>([this] { return stats.render(0, 0); });
    const std::string key = "\"" + name + "\":";
    return std::stoull(json.substr(json.find(key) + key.size()));
  }
  uint64_t latencySamples() { return statsField("push_latency_samples"); }

  // Read on the loop thread; advance() moves it there too.
  void advance(int64_t ms) {
    inLoop<bool>([&] {
      clock.advance(ms);
      return true;
    });
  }
  size_t connections() {
    return inLoop<size_t>([this] { return server.connections(); });
  }

  test::FakeClock clock;
  net::EventLoop loop;
  Stats stats{"test:1", clock};
  PollServer server;
  RecordingHandler handler;
};

TEST_F(PollServerTest, AnswersStatsAndCloses) {
  Client c(server.port());
  c.send(get("/stats"));
  const std::string answer = c.readAll();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(answer.find("Content-Type: application/json; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(answer.find("Content-Length: 16\r\nConnection: close\r\n\r\n{\"held_polls\":0}"), std::string::npos);
}

TEST_F(PollServerTest, AnswersUnknownRoutesAndBadRequestsWithApiErrors) {
  Client unknown(server.port());
  unknown.send(get("/nope"));
  EXPECT_NE(unknown.readAll().find("404 Not Found\r\n"), std::string::npos);
  Client bad(server.port());
  bad.send(get("/hold?uid=1"));
  const std::string answer = bad.readAll();
  EXPECT_NE(answer.find("400 Bad Request\r\n"), std::string::npos);
  EXPECT_NE(answer.find("{\"error\":\"bad_request\",\"message\":"), std::string::npos);
  Client garbage(server.port());
  garbage.send("hello\r\n\r\n");
  EXPECT_NE(garbage.readAll().find("400 Bad Request\r\n"), std::string::npos);
}

TEST_F(PollServerTest, WritesTheRegistrysAnswerToTheHeldConnection) {
  Client c(server.port());
  c.send(get("/hold?uid=7&session=s&since=0&timeout=30"));
  ASSERT_TRUE(waitFor([&] { return handler.heldConnection.load() != 0; }));
  EXPECT_EQ(handler.heldUid.load(), 7u);
  loop.runInLoop([&] { server.respond(handler.heldConnection.load(), Answer{"{\"messages\":[],\"next\":0}", 0}); });
  const std::string answer = c.readAll();
  EXPECT_NE(answer.find("\r\n\r\n{\"messages\":[],\"next\":0}"), std::string::npos);
  EXPECT_EQ(latencySamples(), 0u) << "an answer no notification caused is not timed";
}

// The push leg's start travels in the answer: the server times it once the answer is written.
TEST_F(PollServerTest, TimesThePushLegFromTheAnswersOwnStart) {
  Client c(server.port());
  c.send(get("/hold?uid=7&session=s&since=0&timeout=30"));
  ASSERT_TRUE(waitFor([&] { return handler.heldConnection.load() != 0; }));
  loop.runInLoop([&] { server.respond(handler.heldConnection.load(), Answer{"{}", Stats::nowUs()}); });
  EXPECT_NE(c.readAll().find("\r\n\r\n{}"), std::string::npos);
  EXPECT_EQ(latencySamples(), 1u);
}

// PollHandler's contract: hold() may answer the very connection it was called for and return 0;
// the server then leaves that connection alone (ASan checks it is not touched once closed).
TEST_F(PollServerTest, WritesAnAnswerGivenFromInsideHold) {
  Client c(server.port());
  c.send(get("/hold?uid=99&session=s&since=0&timeout=30"));
  EXPECT_NE(c.readAll().find("\r\n\r\n{\"at\":\"once\"}"), std::string::npos);
  EXPECT_TRUE(waitFor([&] { return connections() == 0; }));
  EXPECT_EQ(handler.heldConnection.load(), 0u);
}

TEST_F(PollServerTest, ReportsAClientThatClosesWhileHeld) {
  {
    Client c(server.port());
    c.send(get("/hold?uid=7&session=s&since=0"));
    ASSERT_TRUE(waitFor([&] { return handler.heldConnection.load() != 0; }));
  }
  EXPECT_TRUE(waitFor([&] { return handler.gone.load() == 42; }));
  EXPECT_EQ(handler.openWhenGone.load(), 0u) << "the connection is closed before the handler hears of it";
}

TEST_F(PollServerTest, RefusesAnOversizeHead) {
  Client c(server.port());
  // Exactly the cap, so no unread bytes turn the server's close into a reset.
  c.send("GET /" + std::string(PollServer::kMaxHeadBytes - 5, 'a'));
  EXPECT_NE(c.readAll().find("400 Bad Request\r\n"), std::string::npos);
}

// The loop wakes for the check only when a head can have timed out: once a connection has been
// open for longer than kHeadTimeoutMs, not a tick before, though nothing else is due meanwhile.
TEST_F(PollServerTest, ClosesAConnectionWhoseHeadDoesNotCompleteInTime) {
  const auto closesAfter = [&](Client& c, int64_t openMs) {
    advance(openMs - 1);
    EXPECT_EQ(connections(), 1u) << "closed before its head timed out";
    advance(1);
    EXPECT_TRUE(waitFor([&] { return connections() == 0; }));
    EXPECT_EQ(c.readAll(), "") << "closed without an answer";
  };
  Client first(server.port());
  first.send("GET /hold?uid=7");
  ASSERT_TRUE(waitFor([&] { return connections() == 1; }));
  advance(PollServer::kHeadTimeoutMs);
  Client second(server.port());  // the check that closes the first one finds it still young
  second.send("GET /hold?uid=8");
  ASSERT_TRUE(waitFor([&] { return connections() == 2; }));
  advance(1);
  EXPECT_TRUE(waitFor([&] { return connections() == 1; }));
  EXPECT_EQ(first.readAll(), "");
  closesAfter(second, PollServer::kHeadTimeoutMs);  // opened 1 ms before that check
  Client third(server.port());  // after a check that left nothing to watch
  third.send("GET /hold?uid=9");
  ASSERT_TRUE(waitFor([&] { return connections() == 1; }));
  closesAfter(third, PollServer::kHeadTimeoutMs + 1);
}

// The node's unix socket (pushd.socket_dir): the same routes and answers as the TCP port, with
// /stats counting which listener took each connection.
class PollServerUnixTest : public PollServerTest {
 protected:
  PollServerUnixTest() : PollServerTest(common::pushdSocketPath(dir.path(), "127.0.0.1:9101")) {}
  static ::im::test::TempDir dir;
  const std::string path = common::pushdSocketPath(dir.path(), "127.0.0.1:9101");
};
::im::test::TempDir PollServerUnixTest::dir{"im-pollserver"};

TEST_F(PollServerUnixTest, HoldsAndAnswersAPollOverTheUnixSocket) {
  Client c(path);
  c.send(get("/hold?uid=7&session=s&since=0&timeout=30"));
  ASSERT_TRUE(waitFor([&] { return handler.heldConnection.load() != 0; }));
  EXPECT_EQ(handler.heldUid.load(), 7u);
  loop.runInLoop([&] { server.respond(handler.heldConnection.load(), Answer{"{\"messages\":[],\"next\":0}", 0}); });
  EXPECT_NE(c.readAll().find("\r\n\r\n{\"messages\":[],\"next\":0}"), std::string::npos);
  EXPECT_EQ(statsField("accepted_unix"), 1u);
  EXPECT_EQ(statsField("accepted_tcp"), 0u);
  Client overTcp(server.port());
  overTcp.send(get("/nope"));
  EXPECT_NE(overTcp.readAll().find("404 Not Found\r\n"), std::string::npos) << "the TCP port still serves";
  EXPECT_EQ(statsField("accepted_tcp"), 1u);
}

TEST_F(PollServerUnixTest, ReportsAClientThatClosesWhileHeldOverTheSocket) {
  {
    Client c(path);
    c.send(get("/hold?uid=7&session=s&since=0"));
    ASSERT_TRUE(waitFor([&] { return handler.heldConnection.load() != 0; }));
  }
  EXPECT_TRUE(waitFor([&] { return handler.gone.load() == 42; }));
}

// A stopping node's socket goes with its listener, so nginx's next connect fails at once.
TEST_F(PollServerUnixTest, StopAcceptingRemovesTheSocketFile) {
  ASSERT_EQ(::access(path.c_str(), F_OK), 0);
  inLoop<int>([this] {
    server.stopAccepting();
    return 0;
  });
  EXPECT_NE(::access(path.c_str(), F_OK), 0);
  EXPECT_EQ(common::probeUnixSocket(path), common::UnixProbe::Missing);
}

}  // namespace
}  // namespace im::pushd
