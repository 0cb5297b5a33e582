// SPDX-License-Identifier: MIT
// FcgiUpgradeTest.cc - issue 13: SIGUSR2 makes the fcgi master exec the binary now at its path,
// same pid and socket; under steady sends and polls every request answers 200 and nothing is lost.
// Linked into im_supervision_test before SupervisionTest.cc, whose last test takes the stack down.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"
#include "tests/support/TextFile.h"
#include "tests/support/WaitFor.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;

constexpr int kPairs = 3;

ino_t inodeOf(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}
// /proc/PID/exe resolves to the file the process runs, even one since replaced on disk.
ino_t exeInode(pid_t pid) { return inodeOf("/proc/" + std::to_string(pid) + "/exe"); }

// One sender and one poller per pair; every answer that is not 200 (or no answer) is kept.
class Traffic {
 public:
  explicit Traffic(ImClient& api) : api_(api) {
    for (int i = 0; i < kPairs; ++i) pairs_.push_back({api.newUser("upx_from"), api.newUser("upx_to"), {}, {}});
    for (auto& p : pairs_) {
      threads_.emplace_back([this, &p] { send(p); });
      threads_.emplace_back([this, &p] { poll(p); });
    }
  }
  ~Traffic() { stop(); }

  void stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  int sends() const { return sends_; }
  std::vector<std::string> failures() {
    std::lock_guard<std::mutex> lock(mutex_);
    return failures_;
  }
  // After stop(): what each recipient polled, in order, against what was sent to it.
  void expectEverythingDelivered() const {
    for (const auto& p : pairs_) EXPECT_EQ(p.received, p.sent) << p.to.name;
  }

 private:
  struct Pair {
    TestUser from, to;
    std::vector<int64_t> sent, received;
  };

  void fail(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_.push_back(what);
  }
  void send(Pair& p) {
    for (int i = 0; !stop_; ++i) {
      try {
        const HttpResponse r = api_.send(p.from.token, p.to.id, "u" + std::to_string(i));
        if (r.status == 200) p.sent.push_back(parseObject(r.body)->getValue<int64_t>("msg_id"));
        else fail("send " + std::to_string(r.status) + " " + r.body);
      } catch (const std::exception& e) {
        fail(std::string("send: ") + e.what());
      }
      ++sends_;
      std::this_thread::sleep_for(25ms);
    }
  }
  // Polls on until the sender stopped and everything it sent arrived (or 10 s more passed).
  void poll(Pair& p) {
    int64_t since = 0;
    const auto drained = [&] { return stop_ && p.received.size() >= p.sent.size(); };
    for (auto deadline = std::chrono::steady_clock::time_point::max(); !drained() && std::chrono::steady_clock::now() < deadline;) {
      if (stop_ && deadline == std::chrono::steady_clock::time_point::max()) deadline = std::chrono::steady_clock::now() + 10s;
      try {
        const PollResult r = api_.poll(p.to.token, since, 1);
        if (r.status != 200) {
          fail("poll " + std::to_string(r.status) + " " + r.raw);
          continue;
        }
        for (const auto& m : r.messages) p.received.push_back(m.msgId);
        since = r.next;
      } catch (const std::exception& e) {
        fail(std::string("poll: ") + e.what());
      }
    }
  }

  ImClient& api_;
  std::vector<Pair> pairs_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int> sends_{0};
  std::mutex mutex_;
  std::vector<std::string> failures_;
};

int64_t masterStartMs(ImClient& api) {
  const HttpResponse r = api.http().get("/im/status");
  if (r.status != 200) throw std::runtime_error("/im/status answered " + std::to_string(r.status));
  return parseObject(r.body)->getValue<int64_t>("start_time_ms");
}

TEST(FcgiUpgrade, SigUsr2ExecsTheNewBinaryAndEveryRequestMeanwhileIsAnswered) {
  Stack& stack = Stack::get();
  ImClient api(stack.http());
  const pid_t master = stack.fcgiMasterPid();
  const std::vector<pid_t> oldWorkers = stack.fcgiWorkerPids();
  const int64_t startedMs = masterStartMs(api);
  Traffic traffic(api);
  ASSERT_TRUE(waitFor(20s, [&] { return traffic.sends() >= 30; }));

  // A new binary in place, as an install does: a new file renamed over the old one.
  const std::string bin = std::string(IM_BINARY_DIR) + "/fcgi/im-fcgi";
  std::filesystem::copy_file(bin, bin + ".upgrade", std::filesystem::copy_options::overwrite_existing);
  std::filesystem::rename(bin + ".upgrade", bin);
  const ino_t fresh = inodeOf(bin);
  ASSERT_NE(exeInode(master), fresh);
  ASSERT_EQ(::kill(master, SIGUSR2), 0);

  EXPECT_TRUE(waitFor(20s, [&] {
    const std::vector<pid_t> workers = stack.fcgiWorkerPids();
    if (exeInode(master) != fresh || workers.size() != static_cast<size_t>(Stack::kFcgiWorkers)) return false;
    for (const pid_t w : workers) {
      if (exeInode(w) != fresh) return false;  // an old worker still finishing, or exiting
    }
    return true;
  })) << "the master and its workers do not run the new binary\n" << stack.logTails(20);
  EXPECT_EQ(stack.fcgiMasterPid(), master) << "an upgrade keeps the master's pid";
  for (const pid_t w : stack.fcgiWorkerPids()) {
    EXPECT_EQ(std::count(oldWorkers.begin(), oldWorkers.end(), w), 0) << "old worker " << w << " still serves";
  }
  EXPECT_GT(masterStartMs(api), startedMs) << "/im/status is not answered by the new master's pool";

  const int before = traffic.sends();
  ASSERT_TRUE(waitFor(20s, [&] { return traffic.sends() >= before + 30; })) << "sends did not go on";
  traffic.stop();
  EXPECT_EQ(traffic.failures(), std::vector<std::string>{}) << "requests failed during the upgrade";
  traffic.expectEverythingDelivered();
}

// A new binary that does not start (here one that fails --version) is refused: the master logs
// why and serves on, with the same workers; nothing is restarted.
TEST(FcgiUpgrade, ABinaryThatDoesNotRunIsRefusedAndTheOldOneServesOn) {
  Stack& stack = Stack::get();
  ImClient api(stack.http());
  const std::string bin = std::string(IM_BINARY_DIR) + "/fcgi/im-fcgi";
  const std::string log = stack.varDir() + "/log/fcgi.log";
  std::filesystem::rename(bin, bin + ".good");
  // Put the real one back whatever happens below: the later tests and ./im up run it.
  const std::unique_ptr<const std::string, std::function<void(const std::string*)>> restore(
      &bin, [](const std::string* path) { std::filesystem::rename(*path + ".good", *path); });
  {
    std::ofstream broken(bin);
    broken << "#!/bin/sh\nexit 3\n";
  }
  std::filesystem::permissions(bin, std::filesystem::perms::owner_all);
  const pid_t master = stack.fcgiMasterPid();
  const std::vector<pid_t> workers = stack.fcgiWorkerPids();
  ASSERT_EQ(::kill(master, SIGUSR2), 0);
  EXPECT_TRUE(waitFor(10s, [&] { return readTextFile(log).find("SIGUSR2: not upgraded") != std::string::npos; }))
      << stack.logTails(10);
  EXPECT_EQ(stack.fcgiMasterPid(), master);
  EXPECT_EQ(stack.fcgiWorkerPids(), workers) << "a refused upgrade replaced the workers";
  EXPECT_EQ(api.http().get("/im/health").status, 200);
}

}  // namespace
}  // namespace im::test
