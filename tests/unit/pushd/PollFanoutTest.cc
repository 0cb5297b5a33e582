// SPDX-License-Identifier: MIT
// PollFanoutTest.cc - one notification naming 1,000 held uids, through the real PollRegistry and
// PollServer over loopback sockets: every member gets its answer. It is also the answer path's
// micro-benchmark (IM_FANOUT_ROUNDS, default 5): it prints the loop thread's CPU time per such
// notification, every close included, and the push leg (notify -> answer written) p50/p99.
#include <arpa/inet.h>
#include <pthread.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "pushd/EarlyNotifications.h"
#include "pushd/PollRegistry.h"
#include "pushd/PollServer.h"
#include "pushd/Stats.h"
#include "pushd/TimingWheel.h"
#include "pushd/net/EventLoop.h"

namespace im::pushd {
namespace {

constexpr uint64_t kMembers = 1000;

int64_t cpuUs(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

common::UniqueFd connectTo(int port) {
  common::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

std::string readAll(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

class PollFanoutTest : public ::testing::Test {
 protected:
  PollFanoutTest()
      : server(loop, clock, stats, "127.0.0.1", 0),
        registry(loop, clock, wheel, early, server, stats, PollRegistryOptions{200, 100000}) {
    server.start(registry);
    loop.runWhenDue([this] { return net::fromNow(registry.nextDueMs(), clock.steadyMs()); }, [this] { registry.tick(); });
    loop.start();
  }
  ~PollFanoutTest() override { loop.stop(); }

  template <typename T>
  T inLoop(const std::function<T()>& task) {
    std::promise<T> result;
    loop.runInLoop([&] { result.set_value(task()); });
    return result.get_future().get();
  }

  template <typename Pred>
  bool waitInLoop(Pred pred) {
    for (int i = 0; i < 5000; ++i) {
      if (inLoop<bool>(pred)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
  }

  // The loop thread's CPU clock, readable from this thread.
  clockid_t loopCpuClock() {
    return inLoop<clockid_t>([] {
      clockid_t id{};
      ::pthread_getcpuclockid(::pthread_self(), &id);
      return id;
    });
  }

  common::SystemClock clock;
  net::EventLoop loop;
  Stats stats{"test:1", clock};
  EarlyNotifications early{5000};
  TimingWheel wheel{clock, 10, 8192};
  PollServer server;
  PollRegistry registry;
};

TEST_F(PollFanoutTest, OneNotificationAnswersAThousandHeldPolls) {
  const char* env = std::getenv("IM_FANOUT_ROUNDS");
  const int rounds = env ? std::max(1, std::atoi(env)) : 5;
  const clockid_t loopCpu = loopCpuClock();
  std::vector<int64_t> cpu;
  for (int round = 1; round <= rounds; ++round) {
    const auto seq = static_cast<uint64_t>(round);
    std::vector<common::UniqueFd> clients;
    for (uint64_t uid = 1; uid <= kMembers; ++uid) {
      clients.push_back(connectTo(server.port()));
      const std::string head = "GET /hold?uid=" + std::to_string(uid) + "&session=s&since=" +
                               std::to_string(seq - 1) + "&timeout=60&limit=100 HTTP/1.0\r\n\r\n";
      ASSERT_EQ(::send(clients.back().get(), head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
    }
    ASSERT_TRUE(waitInLoop([this] { return registry.size() == kMembers && server.connections() == kMembers; }));

    common::Notification n;
    for (uint64_t uid = 1; uid <= kMembers; ++uid) n.recipients.push_back({uid, seq});
    n.payload = "{\"msg_id\":" + std::to_string(1000 + round) +
                ",\"from\":1,\"group\":7,\"body\":\"to all of you\",\"sent_at\":\"2026-01-01T00:00:00.000Z\"}";
    NotificationBatch batch{{n}, 0};
    const int64_t cpu0 = cpuUs(loopCpu);
    loop.runInLoop([&] {
      batch.readUs = Stats::nowUs();
      registry.notify(batch);
    });
    // Done when every answer is written and its socket closed.
    ASSERT_TRUE(waitInLoop([this] { return server.connections() == 0; }));
    cpu.push_back(cpuUs(loopCpu) - cpu0);

    const std::string expected = "{\"messages\":[{\"seq\":" + std::to_string(seq) + ",\"msg_id\":";
    for (auto& c : clients) {
      const std::string answer = readAll(c.get());
      ASSERT_NE(answer.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << answer;
      ASSERT_NE(answer.find(expected), std::string::npos) << answer;
    }
    EXPECT_EQ(inLoop<size_t>([this] { return registry.size(); }), 0u);
  }
  std::sort(cpu.begin(), cpu.end());
  const std::string json = inLoop<std::string>([this] { return stats.render(0, 0); });
  const auto field = [&json](const std::string& name) {
    const size_t from = json.find("\"" + name + "\":") + name.size() + 3;
    return json.substr(from, json.find_first_of(",}", from) - from);
  };
  std::cout << "[fanout] " << kMembers << " answers of one notification, " << rounds << " rounds: loop thread cpu median "
            << cpu[cpu.size() / 2] << " us (min " << cpu.front() << ", max " << cpu.back()
            << "); notify -> answer written p50 " << field("push_latency_p50_us") << " us, p99 "
            << field("push_latency_p99_us") << " us\n";
}

}  // namespace
}  // namespace im::pushd
