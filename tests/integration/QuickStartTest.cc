// SPDX-License-Identifier: MIT
// QuickStartTest.cc - the README's quick start runs verbatim (only the port differs) on a fresh
// stack and shows bob the message alice sent him: the first thing a new user tries must work.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/integration/Stack.h"
#include "tests/support/ChildProcess.h"

namespace im::test {
namespace {

// The first ```sh block after the "## Quick start" heading of README.md.
std::string quickStartBlock() {
  std::ifstream in(std::string(IM_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t heading = readme.find("\n## Quick start");
  if (heading == std::string::npos) return "";
  const size_t open = readme.find("```sh\n", heading);
  const size_t close = readme.find("\n```", open + 6);
  if (open == std::string::npos || close == std::string::npos) return "";
  return readme.substr(open + 6, close - open - 6);
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST(QuickStart, RunsVerbatimAndBobGetsAlicesMessage) {
  const std::string block = quickStartBlock();
  ASSERT_FALSE(block.empty()) << "README.md has no ```sh block under '## Quick start'";
  ASSERT_NE(block.find("localhost:8080"), std::string::npos) << "the quick start no longer talks to ./im up's port";
  const std::string script =
      replaceAll(block, "localhost:8080", "127.0.0.1:" + std::to_string(Stack::get().http().port()));
  const CommandResult run = runCommand({"bash", "-euo", "pipefail", "-c", script});
  EXPECT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.output.find("\"username\":\"alice\""), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("\"duplicate\":false"), std::string::npos) << "the send did not succeed:\n" << run.output;
  EXPECT_NE(run.output.find("\"body\":\"hi bob\""), std::string::npos) << "bob's poll did not show it:\n" << run.output;
  EXPECT_EQ(run.output.find("\"error\""), std::string::npos) << run.output;
}

}  // namespace
}  // namespace im::test
