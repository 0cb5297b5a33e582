// SPDX-License-Identifier: MIT
// SizingTest.cc - README "Sizing": what `./im sizing` picks holds IM_MAX_POLLS polls within the
// open-file limit each process can get, and `./im render-nginx` writes those numbers into a valid nginx.conf.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"

namespace im::test {
namespace {

// The environment of a plain `./im` on this machine, planning for `polls` held polls.
Environment plainIm(const std::string& polls, const std::string& var = "") {
  Environment env = {{"IM_MAX_POLLS", polls}, {"IM_NGINX_WORKERS", ""}, {"IM_PUSHD_NODES", ""}, {"IM_FCGI_WORKERS", ""}};
  if (!var.empty()) env["IM_VAR"] = var;
  return env;
}

std::map<std::string, long long> sizing(const std::string& polls) {
  const CommandResult r = runCommand({IM_SOURCE_DIR "/im", "sizing"}, plainIm(polls));
  EXPECT_EQ(r.exitCode, 0) << r.output;
  std::map<std::string, long long> values;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = std::stoll(line.substr(eq + 1));
  }
  return values;
}

TEST(Sizing, EveryPollFitsInTheOpenFilesOfItsProcesses) {
  for (const char* polls : {"10000", "50000", "100000"}) {
    auto s = sizing(polls);
    const long long p = std::stoll(polls);
    EXPECT_EQ(s["MAX_POLLS"], p);
    // Two connections per poll in nginx, one socket in pushd, each with 1.5 times its share.
    EXPECT_GE(s["NGINX_WORKERS"] * s["NGINX_CONNECTIONS"], 3 * p) << polls;
    EXPECT_GE(s["PUSHD_NODES"] * (s["PUSHD_NOFILE"] - 1024), 3 * p / 2) << polls;
    EXPECT_LE(s["NGINX_CONNECTIONS"] + 1024, s["FD_CAP"]) << "nginx's worker_rlimit_nofile over the cap";
    EXPECT_LE(s["PUSHD_NOFILE"], s["FD_CAP"]);
    EXPECT_GE(s["NGINX_WORKERS"], s["CORES"]);
    EXPECT_GE(s["PUSHD_NODES"], s["CORES"]);
    EXPECT_EQ(s["FCGI_WORKERS"], 2 * s["CORES"]);
    // Past this process's hard limit only if the limit may be raised that far (root, and the
    // kernel lets it: not in a container without CAP_SYS_RESOURCE), which is tried and undone.
    rlimit was{};
    ::getrlimit(RLIMIT_NOFILE, &was);
    if (s["FD_CAP"] > static_cast<long long>(was.rlim_max)) {
      rlimit raised = was;
      raised.rlim_max = static_cast<rlim_t>(s["FD_CAP"]);
      EXPECT_EQ(::setrlimit(RLIMIT_NOFILE, &raised), 0) << "FD_CAP " << s["FD_CAP"] << " is over a limit that cannot be raised";
      ::setrlimit(RLIMIT_NOFILE, &was);
    }
  }
}

TEST(Sizing, TheRenderedNginxConfCarriesTheSizesAndIsValid) {
  const TempDir var("im-sizing");
  const auto s = sizing("50000");
  const std::string conf = var.path() + "/nginx/nginx.conf";
  const CommandResult rendered = runCommand({IM_SOURCE_DIR "/im", "render-nginx", IM_SOURCE_DIR "/nginx/im.local.conf.in", conf},
                                            plainIm("50000", var.path()));
  ASSERT_EQ(rendered.exitCode, 0) << rendered.output;
  std::ifstream in(conf);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("worker_processes " + std::to_string(s.at("NGINX_WORKERS")) + ";"), std::string::npos) << text;
  EXPECT_NE(text.find("worker_connections " + std::to_string(s.at("NGINX_CONNECTIONS")) + ";"), std::string::npos);
  EXPECT_NE(text.find("worker_rlimit_nofile " + std::to_string(s.at("NGINX_CONNECTIONS") + 1024) + ";"), std::string::npos);
  const CommandResult checked = runCommand({"nginx", "-t", "-p", var.path() + "/nginx/", "-c", conf, "-e", var.path() + "/error.log"});
  EXPECT_EQ(checked.exitCode, 0) << checked.output;
}

}  // namespace
}  // namespace im::test
