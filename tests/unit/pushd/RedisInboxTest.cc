// SPDX-License-Identifier: MIT
// RedisInboxTest.cc - the pop cycle on a running EventLoop against a scripted fake Redis on
// loopback: decoding, dropped malformed items, pop-after-handling, nil, error replies, a closed
// or silent Redis, backoff (a fake clock, advanced on the loop) and a prompt stop.
#include "pushd/RedisInbox.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "FakeClock.h"
#include "common/UniqueFd.h"

namespace im::pushd {
namespace {

using namespace std::chrono_literals;

// The server side of Redis, driven step by step from the test thread. Every wait is bounded.
class FakeRedis {
 public:
  // Listens on `unixPath`, replacing any file there.
  explicit FakeRedis(const std::string& unixPath) : listener_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    unixPath.copy(addr.sun_path, sizeof addr.sun_path - 1);
    ::unlink(unixPath.c_str());
    EXPECT_EQ(::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listener_.get(), 8), 0);
  }
  // Listens on a free loopback port.
  FakeRedis() : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listener_.get(), 8), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }

  int port() const { return port_; }

  // True when a client connected within `within`.
  bool accept(std::chrono::milliseconds within = 2000ms) {
    if (!readable(listener_.get(), within)) return false;
    client_ = common::UniqueFd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    buffered_.clear();
    return client_.get() >= 0;
  }

  // The next command's arguments; empty on EOF or when none came within `within`.
  std::vector<std::string> readCommand(std::chrono::milliseconds within = 2000ms) {
    std::vector<std::string> args;
    std::string line;
    if (!readLine(line, within) || line.empty() || line[0] != '*') return {};
    for (int n = std::stoi(line.substr(1)); n > 0; --n) {
      if (!readLine(line, within) || line.empty() || line[0] != '$') return {};
      const size_t size = std::stoul(line.substr(1));
      if (!readBytes(size + 2, within)) return {};
      args.push_back(buffered_.substr(0, size));
      buffered_.erase(0, size + 2);
    }
    return args;
  }

  // True when the client closed its end within `within`.
  bool sawClose(std::chrono::milliseconds within = 2000ms) {
    char c;
    return readable(client_.get(), within) && ::recv(client_.get(), &c, 1, 0) == 0;
  }

  void send(const std::string& resp) {
    ASSERT_EQ(::send(client_.get(), resp.data(), resp.size(), MSG_NOSIGNAL), static_cast<ssize_t>(resp.size()));
  }
  void closeClient() { client_.reset(); }

 private:
  static bool readable(int fd, std::chrono::milliseconds within) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(within.count())) == 1;
  }
  bool readBytes(size_t n, std::chrono::milliseconds within) {
    char chunk[4096];
    while (buffered_.size() < n) {
      if (!readable(client_.get(), within)) return false;
      const ssize_t got = ::recv(client_.get(), chunk, sizeof chunk, 0);
      if (got <= 0) return false;
      buffered_.append(chunk, static_cast<size_t>(got));
    }
    return true;
  }
  bool readLine(std::string& line, std::chrono::milliseconds within) {
    while (buffered_.find("\r\n") == std::string::npos) {
      if (!readBytes(buffered_.size() + 1, within)) return false;
    }
    const size_t end = buffered_.find("\r\n");
    line = buffered_.substr(0, end);
    buffered_.erase(0, end + 2);
    return true;
  }

  common::UniqueFd listener_;
  common::UniqueFd client_;
  int port_ = 0;
  std::string buffered_;
};

std::string bulk(const std::string& s) { return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n"; }

// BLMPOP's answer: [key, [item, ...]].
std::string popped(const std::vector<std::string>& items) {
  std::string out = "*2\r\n" + bulk("im:{node:test:1}:notify") + "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& item : items) out += bulk(item);
  return out;
}

const std::vector<std::string> kPop{"BLMPOP", "1", "1", "im:{node:test:1}:notify", "RIGHT", "COUNT", "100"};

class RedisInboxTest : public ::testing::Test {
 protected:
  RedisInboxTest()
      : inbox(common::RedisConfig{"127.0.0.1", redis.port(), 500, "", "", "im"}, "test:1", loop, clock, stats,
              [this](const NotificationBatch& batch) {
                std::lock_guard<std::mutex> lock(mutex);
                batches.push_back(batch.notifications);
                EXPECT_GT(batch.readUs, 0);
              }) {
    inbox.setOnPrimaryChanged([this] { ++primaryChanged; });
    inbox.start();
    loop.runWhenDue([this] { return net::fromNow(inbox.nextDueMs(), clock.steadyMs()); }, [this] { inbox.tick(); });
    loop.start();
  }
  ~RedisInboxTest() override {
    inLoop([this] { inbox.stop(); });
    loop.stop();
  }

  void inLoop(const std::function<void()>& task) {
    std::promise<void> done;
    loop.runInLoop([&] {
      task();
      done.set_value();
    });
    done.get_future().wait();
  }
  // The fake clock is read on the loop thread only, so it is advanced there too.
  void advance(int64_t ms) {
    inLoop([&] { clock.advance(ms); });
  }
  std::vector<std::vector<common::Notification>> received() {
    std::lock_guard<std::mutex> lock(mutex);
    return batches;
  }

  FakeRedis redis;
  test::FakeClock clock;
  net::EventLoop loop;
  Stats stats{"test:1", clock};
  RedisInbox inbox;
  std::mutex mutex;
  std::vector<std::vector<common::Notification>> batches;  // guarded by mutex
  std::atomic<int> primaryChanged{0};
};

TEST_F(RedisInboxTest, DeliversADecodedBatchAndDropsMalformedItems) {
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  redis.send(popped({"7:3\n{\"msg_id\":1}", "not a notification", "8:1,9:4\n{\"msg_id\":2}"}));
  ASSERT_EQ(redis.readCommand(), kPop);  // the next pop: sent once the batch was handled
  const auto got = received();
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].size(), 2u);
  EXPECT_EQ(got[0][0].recipients, (std::vector<common::Recipient>{{7, 3}}));
  EXPECT_EQ(got[0][1].recipients, (std::vector<common::Recipient>{{8, 1}, {9, 4}}));
  EXPECT_EQ(got[0][1].payload, "{\"msg_id\":2}");
}

TEST_F(RedisInboxTest, PopsAgainAfterAnIdleTimeout) {
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  redis.send("*-1\r\n");  // BLMPOP's nil: nothing within its block time
  ASSERT_EQ(redis.readCommand(), kPop);
  redis.send(popped({"5:1\n{}"}));
  ASSERT_EQ(redis.readCommand(), kPop);
  EXPECT_EQ(received().size(), 1u);
  EXPECT_EQ(primaryChanged.load(), 0);
}

// While Redis answers, the pop's deadline is all the loop would wake for, and the answer comes
// first: an idle node sleeps through the block time. A stopped inbox has nothing due.
TEST_F(RedisInboxTest, IsDueOnlyAtThePopsDeadlineWhileRedisAnswers) {
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  net::NextDue due;
  inLoop([&] { due = inbox.nextDueMs(); });
  EXPECT_EQ(due, 1000 + RedisInbox::kBlockSeconds * 1000 + 1000) << "the fake clock's start + block time + Redis timeout";
  inLoop([&] {
    inbox.stop();
    due = inbox.nextDueMs();
  });
  EXPECT_EQ(due, std::nullopt);
}

TEST_F(RedisInboxTest, ReadsABatchThatArrivesInPieces) {
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  const std::string reply = popped({"5:1\n{\"body\":\"" + std::string(40000, 'x') + "\"}"});
  redis.send(reply.substr(0, 7));
  std::this_thread::sleep_for(5ms);
  redis.send(reply.substr(7));
  ASSERT_EQ(redis.readCommand(), kPop);
  ASSERT_EQ(received().size(), 1u);
  EXPECT_EQ(received()[0][0].payload.size(), 40000u + 11);
}

// An error reply (READONLY, UNBLOCKED: the server was demoted in a Sentinel failover; LOADING)
// drops the connection: the retry connects anew, which behind Sentinel finds the new primary.
TEST_F(RedisInboxTest, AnErrorReplyBacksOffThenRetriesOnANewConnection) {
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  redis.send("-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n");
  ASSERT_TRUE(redis.sawClose());
  EXPECT_FALSE(redis.accept(50ms)) << "retried before the backoff";
  advance(100);
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  redis.send(popped({"5:1\n{}"}));
  ASSERT_EQ(redis.readCommand(), kPop);
  EXPECT_EQ(received().size(), 1u);
}

TEST_F(RedisInboxTest, ReconnectsWithADoublingBackoffAfterRedisWentAway) {
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  redis.closeClient();
  EXPECT_FALSE(redis.accept(50ms)) << "reconnected before the first backoff (100 ms)";
  advance(100);
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  redis.closeClient();
  advance(100);
  EXPECT_FALSE(redis.accept(50ms)) << "the second backoff is 200 ms";
  advance(100);
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  redis.send(popped({"5:1\n{}"}));  // recovered: the backoff starts over at the next outage
  ASSERT_EQ(redis.readCommand(), kPop);
  EXPECT_EQ(received().size(), 1u);
  uint64_t reconnects = 0;
  inLoop([&] { reconnects = stats.redisReconnects(); });
  EXPECT_EQ(reconnects, 1u) << "redis_reconnects counts outages, not attempts";
  // The same server back: the list kept what was pushed meanwhile (or the heartbeat notices a
  // Redis that lost everything), so held polls are left alone. A new primary is the cluster test's.
  EXPECT_EQ(primaryChanged.load(), 0);
}

TEST_F(RedisInboxTest, GivesUpOnAPopThatGetsNoAnswerAndReconnects) {
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  advance(RedisInbox::kBlockSeconds * 1000 + 1000);  // the block time + the Redis timeout
  ASSERT_TRUE(redis.sawClose());
  advance(100);
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
}

TEST_F(RedisInboxTest, StopClosesTheConnectionWithAPopInFlight) {
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  const auto start = std::chrono::steady_clock::now();
  inLoop([this] { inbox.stop(); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_TRUE(redis.sawClose());
  advance(5000);
  EXPECT_FALSE(redis.accept(50ms)) << "a stopped inbox reconnected";
}

// redis.socket set (./im up sets it): the same pop cycle over a unix socket, host/port ignored.
TEST(RedisInboxUnixSocket, DrainsOverTheUnixSocketWhenOneIsConfigured) {
  const std::string path = "/tmp/im-redis-inbox-test-" + std::to_string(::getpid()) + ".sock";
  FakeRedis redis(path);
  test::FakeClock clock;
  net::EventLoop loop;
  std::atomic<size_t> received{0};
  Stats stats("test:1", clock);
  RedisInbox inbox(common::RedisConfig{"127.0.0.1", 1, 500, path, "", "im"}, "test:1", loop, clock, stats,
                   [&received](const NotificationBatch& batch) { received += batch.notifications.size(); });
  inbox.start();
  loop.start();
  ASSERT_TRUE(redis.accept());
  ASSERT_EQ(redis.readCommand(), kPop);
  redis.send(popped({"5:1\n{}", "6:1\n{}"}));
  ASSERT_EQ(redis.readCommand(), kPop);
  EXPECT_EQ(received.load(), 2u);
  std::promise<void> stopped;
  loop.runInLoop([&] {
    inbox.stop();
    stopped.set_value();
  });
  stopped.get_future().wait();
  loop.stop();
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace im::pushd
