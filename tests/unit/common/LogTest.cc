// SPDX-License-Identifier: MIT
// LogTest.cc - the key=value line, the request id's filter, and log.file reopened on SIGUSR1.
#include "common/Log.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

using namespace im::common;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Points stdout/stderr at log.file for the test's duration, and back at gtest's afterwards.
class LogFile : public ::testing::Test {
 protected:
  void SetUp() override {
    savedOut_ = ::dup(STDOUT_FILENO);
    savedErr_ = ::dup(STDERR_FILENO);
    std::remove(path_.c_str());
    std::remove((path_ + ".1").c_str());
    setLogFile(path_);
  }
  void TearDown() override {
    ::dup2(savedOut_, STDOUT_FILENO);
    ::dup2(savedErr_, STDERR_FILENO);
    ::close(savedOut_);
    ::close(savedErr_);
    setRequestId("");
  }
  const std::string path_ = ::testing::TempDir() + "im-log-test.log";
  int savedOut_ = -1;
  int savedErr_ = -1;
};

}  // namespace

TEST_F(LogFile, OneKeyValueLinePerEventWithTheRequestId) {
  setRequestId("0123456789abcdef0123456789abcdef");
  logLine(LogLevel::Warning, "worker", "slow \"quoted\"\nsecond line");
  const std::string text = readFile(path_);
  const std::regex line(R"(^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=warning pid=\d+ component=worker )"
                        R"(req=0123456789abcdef0123456789abcdef msg="slow \\"quoted\\"\\nsecond line"\n$)");
  EXPECT_TRUE(std::regex_match(text, line)) << text;
}

TEST_F(LogFile, ARequestIdThatIsNotAnIdIsDropped) {
  setRequestId("abc def\n level=error");
  logLine(LogLevel::Info, "worker", "x");
  EXPECT_EQ(readFile(path_).find("req="), std::string::npos) << readFile(path_);
}

TEST_F(LogFile, Sigusr1ReopensTheFileAfterItWasMoved) {
  installLogReopenHandler();
  logLine(LogLevel::Info, "test", "before");
  ASSERT_EQ(std::rename(path_.c_str(), (path_ + ".1").c_str()), 0);
  ::raise(SIGUSR1);
  logLine(LogLevel::Info, "test", "after");
  EXPECT_NE(readFile(path_ + ".1").find("before"), std::string::npos);
  EXPECT_EQ(readFile(path_ + ".1").find("after"), std::string::npos);
  EXPECT_NE(readFile(path_).find("msg=\"after\""), std::string::npos);
}

TEST(Log, AnUnopenableLogFileIsAnError) {
  EXPECT_THROW(setLogFile("/nonexistent-dir/im.log"), std::runtime_error);
}

// log.level.<component>: one component's threshold, the others' log.level; dropped again, it
// follows log.level.
TEST(LogLevels, AComponentTakesItsOwnThresholdAndTheOthersTheDefault) {
  setLogLevels("info", {{"poll", "debug"}, {"pushd", "error"}});
  EXPECT_TRUE(logEnabled(LogLevel::Debug, "poll"));
  EXPECT_FALSE(logEnabled(LogLevel::Debug, "server"));
  EXPECT_TRUE(logEnabled(LogLevel::Info, "server"));
  EXPECT_FALSE(logEnabled(LogLevel::Warning, "pushd"));
  EXPECT_TRUE(logEnabled(LogLevel::Error, "pushd"));
  EXPECT_TRUE(logEnabled(LogLevel::Debug)) << "the guard must admit what some component logs";

  setLogLevels("warning", {});
  EXPECT_FALSE(logEnabled(LogLevel::Debug, "poll"));
  EXPECT_FALSE(logEnabled(LogLevel::Info, "poll"));
  EXPECT_TRUE(logEnabled(LogLevel::Warning, "pushd"));
  EXPECT_FALSE(logEnabled(LogLevel::Debug));
  setLogLevel("info");
}

TEST(LogLevels, OnlyTheFourNamesParse) {
  LogLevel l = LogLevel::Error;
  EXPECT_TRUE(parseLogLevel("debug", l));
  EXPECT_EQ(l, LogLevel::Debug);
  EXPECT_TRUE(parseLogLevel("warning", l));
  EXPECT_EQ(l, LogLevel::Warning);
  EXPECT_FALSE(parseLogLevel("warn", l));
  EXPECT_FALSE(parseLogLevel("DEBUG", l));
}
