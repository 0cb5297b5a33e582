// SPDX-License-Identifier: MIT
// LogLevelTest.cc - issue 13: log.level.<component> re-read on SIGHUP by the running daemons
// (pushd through common/LogLevelReload, the fcgi master and its new workers): one component's
// debug lines appear, no other component's, and nothing restarts.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
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

class LogLevels : public ::testing::Test {
 protected:
  std::vector<std::string> logs() const {
    std::vector<std::string> files{stack_.varDir() + "/log/fcgi.log"};
    for (const uint16_t port : stack_.pushdPorts()) files.push_back(stack_.varDir() + "/log/pushd-" + std::to_string(port) + ".log");
    return files;
  }
  // Every debug line of every daemon's log, whatever its component.
  std::vector<std::string> debugLines() const {
    std::vector<std::string> lines;
    for (const std::string& file : logs()) {
      std::istringstream text(readTextFile(file));
      for (std::string line; std::getline(text, line);) {
        if (line.find(" level=debug ") != std::string::npos) lines.push_back(line);
      }
    }
    return lines;
  }
  size_t occurrences(const std::string& file, const std::string& what) const {
    const std::string text = readTextFile(file);
    size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
  // SIGHUP to the fcgi master; true once it says it replaced its workers and they all are new.
  bool reloadFcgi() {
    const std::string log = stack_.varDir() + "/log/fcgi.log";
    const size_t before = occurrences(log, "SIGHUP: config reloaded");
    const std::vector<pid_t> old = stack_.fcgiWorkerPids();
    ::kill(stack_.fcgiMasterPid(), SIGHUP);
    return waitFor(20s, [&] {
      const std::vector<pid_t> now = stack_.fcgiWorkerPids();
      if (occurrences(log, "SIGHUP: config reloaded") <= before || now.size() != static_cast<size_t>(Stack::kFcgiWorkers)) return false;
      for (const pid_t w : now) {
        if (std::find(old.begin(), old.end(), w) != old.end()) return false;
      }
      return true;
    });
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(LogLevels, SighupRaisesOneComponentToDebugAndNoOtherWithoutARestart) {
  const TestUser bob = api_.newUser("lvl_bob");
  ASSERT_EQ(api_.poll(bob.token, 0, 1).status, 200);
  ASSERT_EQ(debugLines(), std::vector<std::string>{}) << "the stack runs at info";
  const pid_t node0 = stack_.pushdPid(0), node1 = stack_.pushdPid(1), master = stack_.fcgiMasterPid();

  std::ofstream(stack_.varDir() + "/im.properties", std::ios::app) << "log.level.poll = debug\n";
  for (int node = 0; node < Stack::kPushdNodes; ++node) ::kill(stack_.pushdPid(node), SIGHUP);
  for (size_t i = 1; i < logs().size(); ++i) {
    EXPECT_TRUE(waitFor(10s, [&] { return occurrences(logs()[i], "SIGHUP: log levels re-read") == 1; })) << logs()[i];
  }
  ASSERT_TRUE(reloadFcgi()) << stack_.logTails(20);

  // A held poll: the node holding it (wherever the ring put it) logs it at debug, component poll.
  ASSERT_EQ(api_.poll(bob.token, 0, 1).status, 200);
  const std::regex held("component=poll .*msg=\"held uid=" + std::to_string(bob.id) + " ");
  EXPECT_TRUE(waitFor(10s, [&] {
    for (const std::string& line : debugLines()) {
      if (std::regex_search(line, held)) return true;
    }
    return false;
  })) << "no debug line of the held poll\n" << stack_.logTails(10);

  // The workers forked by that reload exit on the next one: at debug they would say so
  // (component worker); at info, as log.level still is, they do not.
  ASSERT_TRUE(reloadFcgi()) << stack_.logTails(20);
  for (const std::string& line : debugLines()) {
    EXPECT_NE(line.find(" component=poll "), std::string::npos) << "a debug line of another component: " << line;
  }
  EXPECT_EQ(stack_.pushdPid(0), node0) << "a push node restarted";
  EXPECT_EQ(stack_.pushdPid(1), node1);
  EXPECT_EQ(stack_.fcgiMasterPid(), master) << "the fcgi master restarted";

  // log.level.worker = debug: now the replaced workers' exit lines appear.
  std::ofstream(stack_.varDir() + "/im.properties", std::ios::app) << "log.level.worker = debug\n";
  ASSERT_TRUE(reloadFcgi());
  ASSERT_TRUE(reloadFcgi());
  EXPECT_TRUE(waitFor(10s, [&] {
    for (const std::string& line : debugLines()) {
      if (line.find(" component=worker msg=\"exiting after ") != std::string::npos) return true;
    }
    return false;
  })) << "log.level.worker = debug showed no worker debug line";
}

}  // namespace
}  // namespace im::test
