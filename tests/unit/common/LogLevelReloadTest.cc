// SPDX-License-Identifier: MIT
// LogLevelReloadTest.cc - SIGHUP re-reads log.level and log.level.<component> from the config
// file while the process runs; a config that does not load leaves the levels in force.
#include "common/LogLevelReload.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "common/Log.h"
#include "tests/support/TextFile.h"

using namespace im::common;

namespace {

bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST(LogLevelReload, SighupAppliesTheFilesLevelsAndABadFileChangesNothing) {
  const std::string path = ::testing::TempDir() + "im-log-level-reload.properties";
  std::ofstream(path) << "log.level = info\n";
  setLogLevel("info");
  {
    const LogLevelReload reload(path, {});
    std::ofstream(path) << "log.level = info\nlog.level.poll = debug\n";
    ::raise(SIGHUP);
    EXPECT_TRUE(eventually([] { return logEnabled(LogLevel::Debug, "poll"); })) << "SIGHUP did not raise poll to debug";
    EXPECT_FALSE(logEnabled(LogLevel::Debug, "server"));

    // The refusal is logged: wait for its line, then the levels are still the ones in force.
    const int savedErr = ::dup(STDERR_FILENO), savedOut = ::dup(STDOUT_FILENO);
    const std::string log = ::testing::TempDir() + "im-log-level-reload.log";
    std::remove(log.c_str());
    setLogFile(log);
    std::ofstream(path) << "log.level = loud\n";
    ::raise(SIGHUP);
    EXPECT_TRUE(eventually([&] { return im::test::readTextFile(log).find("log levels not re-read") != std::string::npos; }));
    ::dup2(savedErr, STDERR_FILENO);
    ::dup2(savedOut, STDOUT_FILENO);
    ::close(savedErr);
    ::close(savedOut);
    EXPECT_TRUE(logEnabled(LogLevel::Debug, "poll")) << "a config that does not load changed the levels";

    std::ofstream(path) << "log.level = warning\n";  // a later good file is applied: the thread lives on
    ::raise(SIGHUP);
    EXPECT_TRUE(eventually([] { return !logEnabled(LogLevel::Info, "server"); }));
    EXPECT_FALSE(logEnabled(LogLevel::Debug, "poll")) << "poll kept a level the file no longer names";
  }
  setLogLevel("info");
}
