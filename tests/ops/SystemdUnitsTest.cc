// SPDX-License-Identifier: MIT
// SystemdUnitsTest.cc - deploy/systemd/ passes `systemd-analyze verify` (with ExecStart pointed at
// this build's binaries, which verify requires to exist) and carries what issue 13 asks of it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"

namespace im::test {
namespace {

const std::string kUnits = std::string(IM_SOURCE_DIR) + "/deploy/systemd/";

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The unit with /usr/local/bin/<binary> replaced by the build's binary, written into `dir`.
void copyForBuild(const std::string& unit, const std::string& dir) {
  std::string text = readFile(kUnits + unit);
  text = std::regex_replace(text, std::regex("/usr/local/bin/im-fcgi"), IM_BINARY_DIR "/fcgi/im-fcgi");
  text = std::regex_replace(text, std::regex("/usr/local/bin/im-pushd"), IM_BINARY_DIR "/pushd/im-pushd");
  std::ofstream(dir + "/" + unit) << text;
}

TEST(SystemdUnits, VerifyIsClean) {
  // A missing systemd-analyze is a failure, not a skip: ./im installs the systemd package.
  ASSERT_EQ(runCommand({"systemd-analyze", "--version"}).exitCode, 0) << "systemd-analyze not found";
  TempDir dir("im-units");
  for (const char* unit : {"im-pushd@.service", "im-fcgi.service", "im.target"}) copyForBuild(unit, dir.path());
  const CommandResult r = runCommand({"systemd-analyze", "verify", dir.path() + "/im-fcgi.service",
                                      dir.path() + "/im-pushd@9101.service", dir.path() + "/im.target"});
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_EQ(r.output, "") << "systemd-analyze verify warned";
}

TEST(SystemdUnits, EveryServiceIsNotifyRestartedHardenedAndUnprivileged) {
  for (const char* unit : {"im-pushd@.service", "im-fcgi.service"}) {
    const std::string text = readFile(kUnits + unit);
    for (const char* line : {"Type=notify", "Restart=on-failure", "User=im", "ProtectSystem=strict",
                             "NoNewPrivileges=yes", "ExecReload=/bin/kill -", "LimitNOFILE="}) {
      EXPECT_NE(text.find(std::string("\n") + line), std::string::npos) << unit << " lacks " << line;
    }
  }
}

}  // namespace
}  // namespace im::test
