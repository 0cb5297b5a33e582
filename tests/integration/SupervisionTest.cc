// SPDX-License-Identifier: MIT
// SupervisionTest.cc - issue 13: `./im up`'s supervisor brings back a pushd node and the fcgi
// master killed with SIGKILL, the master's workers die with it, and no message is lost meanwhile.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <unistd.h>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/WaitFor.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;

bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  const std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return !text.empty() && close != std::string::npos && text.size() > close + 2 && text[close + 2] != 'Z';
}

class Supervision : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Stack::get().startSupervisor(); }

  // Sends messages from `from` to `to` until stop_, retrying each with its client_msg_id until
  // it is answered 200 (the pool or a node may be down); their msg_ids in order (0: never sent).
  void sendAll(const TestUser& from, const TestUser& to, std::vector<int64_t>& ids) {
    for (int i = 0; !stop_; ++i) {
      ids.push_back(0);
      const std::string id = "sup-" + std::to_string(i);
      for (int attempt = 0; attempt < 400; ++attempt) {
        try {
          const HttpResponse r = api_.send(from.token, to.id, "m" + std::to_string(i), id);
          if (r.status == 200) {
            ids.back() = parseObject(r.body)->getValue<int64_t>("msg_id");
            break;
          }
        } catch (const std::exception&) {
          // connection refused or reset while the pool restarts
        }
        std::this_thread::sleep_for(50ms);
      }
      ++sent_;
      std::this_thread::sleep_for(20ms);
    }
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  std::atomic<int> sent_{0};
  std::atomic<bool> stop_{false};
};

TEST_F(Supervision, TheSupervisorRunsAndStatusSaysSo) {
  const pid_t pid = stack_.supervisorPid();
  EXPECT_TRUE(alive(pid));
  EXPECT_NE(stack_.status().find("supervise    running (" + std::to_string(pid) + ")"), std::string::npos)
      << stack_.status();
}

// Run as root (CI, these tests), the local stack's nginx parses clients' bytes as nobody.
// As root, the workers run as nobody, unless nobody cannot search up to var/run or read the
// web app (a checkout in a 0700 home): then they stay root, or every request would fail.
TEST_F(Supervision, NginxWorkersRunUnprivileged) {
  // The same check as ./im's, with the same PATH (runuser lives in /usr/sbin).
  const bool nobodyReaches =
      runCommand({"/bin/sh", "-c",
                  "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\" exec runuser -u nobody -- test -x \"$0\" -a -r \"$1\"",
                  stack_.varDir() + "/run", std::string(IM_SOURCE_DIR) + "/web/index.html"})
          .exitCode == 0;
  std::ifstream pidFile(stack_.varDir() + "/run/nginx.pid");
  pid_t master = 0;
  pidFile >> master;
  ASSERT_GT(master, 0);
  int workers = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream status(entry.path() / "status");
    std::string line, uid;
    pid_t parent = -1;
    while (std::getline(status, line)) {
      if (line.rfind("PPid:", 0) == 0) parent = static_cast<pid_t>(std::stol(line.substr(5)));
      if (line.rfind("Uid:", 0) == 0) uid = line.substr(4);
    }
    if (parent != master) continue;
    ++workers;
    std::istringstream ids(uid);
    long real = -1, effective = -1;
    ids >> real >> effective;
    if (::geteuid() == 0 && nobodyReaches) {
      EXPECT_NE(effective, 0) << "nginx worker " << entry.path() << " runs as root";
    } else if (::geteuid() == 0) {  // ./im up said why, and kept them root so the stack works
      EXPECT_EQ(effective, 0) << "nginx worker " << entry.path() << " cannot reach the socket as nobody";
    }
    EXPECT_EQ(real, effective);
  }
  EXPECT_GT(workers, 0) << "no nginx worker found under master " << master;
}

TEST_F(Supervision, AKilledPushdNodeAndFcgiMasterComeBackAndNoMessageIsLost) {
  const TestUser alice = api_.newUser("sup_alice");
  const TestUser bob = api_.newUser("sup_bob");
  std::vector<int64_t> ids;
  std::thread sender([&] { sendAll(alice, bob, ids); });
  // A failed ASSERT returns early: the sender must still be stopped and joined.
  const std::unique_ptr<void, std::function<void(void*)>> joinSender(&sender, [this, &sender](void*) {
    stop_ = true;
    if (sender.joinable()) sender.join();
  });
  ASSERT_TRUE(waitFor(20s, [&] { return sent_ >= 10; }));

  const pid_t node = stack_.pushdPid(0);
  stack_.killPushd(0, SIGKILL);
  EXPECT_TRUE(waitFor(20s, [&] { return stack_.pushdPid(0) != node && stack_.pushdStats(0)->has("held_polls"); }))
      << "pushd node 0 was not restarted\n" << stack_.logTails(20);

  const pid_t master = stack_.fcgiMasterPid();
  const std::vector<pid_t> workers = stack_.fcgiWorkerPids();
  ASSERT_EQ(workers.size(), static_cast<size_t>(Stack::kFcgiWorkers));
  ::kill(master, SIGKILL);
  EXPECT_TRUE(waitFor(10s, [&] {
    for (pid_t w : workers) {
      if (alive(w)) return false;
    }
    return true;
  })) << "workers outlived their SIGKILLed master";
  EXPECT_TRUE(waitFor(20s, [&] {
    return stack_.fcgiMasterPid() != master && alive(stack_.fcgiMasterPid()) &&
           stack_.fcgiWorkerPids().size() == static_cast<size_t>(Stack::kFcgiWorkers) &&
           api_.http().get("/im/health").status == 200;
  })) << "the fcgi master was not restarted\n" << stack_.logTails(20);

  const int before = sent_;
  ASSERT_TRUE(waitFor(20s, [&] { return sent_ >= before + 10; })) << "sends did not resume";
  joinSender.get_deleter()(nullptr);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 0), 0) << "some sends never succeeded";
  const PollResult r = api_.poll(bob.token, 0, 0, 500);
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.messages.size(), ids.size()) << r.raw;
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(r.messages[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(r.messages[i].msgId, ids[i]);
    EXPECT_EQ(r.messages[i].body, "m" + std::to_string(i));
  }

  // Both nodes serve again: a held poll of bob is woken by a send, wherever the ring put it.
  auto poll = std::async(std::launch::async, [&] { return api_.poll(bob.token, r.next, 20); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s)) << "the next poll was not held";
  const int64_t last = api_.sendOk(alice.token, bob.id, "after both restarts");
  ASSERT_EQ(poll.wait_for(10s), std::future_status::ready);
  const PollResult woken = poll.get();
  ASSERT_EQ(woken.messages.size(), 1u) << woken.raw;
  EXPECT_EQ(woken.messages[0].msgId, last);
}

std::vector<pid_t> childrenOf(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream status(entry.path() / "status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("PPid:", 0) == 0 && std::stol(line.substr(5)) == parent) {
        out.push_back(static_cast<pid_t>(std::stol(entry.path().filename().string())));
      }
    }
  }
  return out;
}

// `git pull && ./im up`: whatever runs an older build is restarted (push nodes one at a time,
// the fcgi master exec'd in place), nothing else is, and a changed nginx configuration is reloaded. The recorded checksums are
// overwritten here, as a rebuild would leave them behind the binaries.
TEST_F(Supervision, AnUpRestartsOnlyWhatRunsAnOlderBuild) {
  const pid_t node0 = stack_.pushdPid(0), node1 = stack_.pushdPid(1), master = stack_.fcgiMasterPid();
  stack_.restartStopped();
  EXPECT_EQ(stack_.pushdPid(0), node0) << "an up with nothing changed restarted a push node";
  EXPECT_EQ(stack_.pushdPid(1), node1);
  EXPECT_EQ(stack_.fcgiMasterPid(), master) << "an up with nothing changed restarted the pool";

  const std::string run = stack_.varDir() + "/run/";
  std::ifstream nginxPid(run + "nginx.pid");
  pid_t nginx = 0;
  nginxPid >> nginx;
  const std::vector<pid_t> oldWorkers = childrenOf(nginx);
  const std::vector<pid_t> oldFcgiWorkers = stack_.fcgiWorkerPids();
  for (const std::string& name : {"pushd-" + std::to_string(stack_.pushdPorts().at(0)), std::string("fcgi"),
                                 std::string("nginx")}) {
    std::ofstream(run + name + ".stamp") << "an older build\n";
  }
  stack_.restartStopped();
  EXPECT_NE(stack_.pushdPid(0), node0) << "the node with an older build kept running";
  EXPECT_EQ(stack_.pushdPid(1), node1) << "the up-to-date node was restarted too";
  // The live master execs the new binary (SIGUSR2) rather than being restarted: same pid, new workers.
  EXPECT_EQ(stack_.fcgiMasterPid(), master) << "the pool was restarted instead of upgraded in place";
  const std::vector<pid_t> fcgiWorkers = stack_.fcgiWorkerPids();
  EXPECT_EQ(fcgiWorkers.size(), static_cast<size_t>(Stack::kFcgiWorkers));
  for (const pid_t w : fcgiWorkers) {
    EXPECT_EQ(std::count(oldFcgiWorkers.begin(), oldFcgiWorkers.end(), w), 0) << "worker " << w << " of the older build";
  }
  EXPECT_TRUE(waitFor(10s, [&] {
    for (const pid_t w : childrenOf(nginx)) {
      if (std::find(oldWorkers.begin(), oldWorkers.end(), w) == oldWorkers.end()) return true;
    }
    return false;
  })) << "nginx was not reloaded";

  const TestUser alice = api_.newUser("upg_alice");
  const TestUser bob = api_.newUser("upg_bob");
  api_.sendOk(alice.token, bob.id, "after the upgrade");
  const PollResult r = api_.poll(bob.token, 0, 5);
  ASSERT_EQ(r.messages.size(), 1u) << r.raw;
  EXPECT_EQ(r.messages[0].body, "after the upgrade");
}

// Last: it takes the stack down. A supervisor left behind would outlive its var dir forever.
TEST_F(Supervision, ZzDownStopsTheSupervisorFirst) {
  const pid_t pid = stack_.supervisorPid();
  ASSERT_TRUE(alive(pid));
  stack_.stop(false);
  EXPECT_FALSE(alive(pid)) << "./im down left the supervisor running";
}

}  // namespace
}  // namespace im::test
