// SPDX-License-Identifier: MIT
// BinaryFlagsTest.cc - every binary answers --version (git describe at build time) and --help
// (every config key with its default), exit 0, without a config file or any server.
#include <gtest/gtest.h>

#include <string>

#include "common/Config.h"
#include "tests/support/ChildProcess.h"

namespace im::test {
namespace {

const char* const kBinaries[] = {IM_BINARY_DIR "/fcgi/im-fcgi", IM_BINARY_DIR "/pushd/im-pushd",
                                 IM_BINARY_DIR "/admin/im-admin"};

// Without --dirty: whether the tree had uncommitted edits can differ between the build and this
// test (an edit after building), so the binary may add "-dirty" to the same commit.
std::string gitDescribe() {
  const CommandResult r = runCommand({"git", "-C", IM_SOURCE_DIR, "describe", "--always"});
  return r.exitCode == 0 ? r.output.substr(0, r.output.find('\n')) : "unknown";
}

std::string nameOf(const std::string& path) { return path.substr(path.rfind('/') + 1); }

TEST(BinaryFlags, VersionIsTheBuildsGitDescribe) {
  // The build ran just before this test, on the same commit: describe must agree.
  const std::string describe = gitDescribe();
  for (const std::string binary : kBinaries) {
    const CommandResult r = runCommand({binary, "--version"});
    EXPECT_EQ(r.exitCode, 0) << binary << ": " << r.output;
    const std::string clean = nameOf(binary) + " " + describe + "\n";
    const std::string dirty = nameOf(binary) + " " + describe + "-dirty\n";
    EXPECT_TRUE(r.output == clean || r.output == dirty) << binary << " said " << r.output << "; the tree is at "
                                                        << describe;
  }
}

TEST(BinaryFlags, HelpListsEveryConfigKeyWithItsDefault) {
  const auto keys = common::configKeys();
  ASSERT_GT(keys.size(), 30u);
  for (const std::string binary : kBinaries) {
    const CommandResult r = runCommand({binary, "--help"});
    EXPECT_EQ(r.exitCode, 0) << binary << ": " << r.output;
    for (const auto& k : keys) {
      EXPECT_NE(r.output.find("  " + k.key + " = " + k.defaultValue + " "), std::string::npos)
          << binary << " --help lacks " << k.key << " = " << k.defaultValue << "\n" << r.output;
      EXPECT_FALSE(k.meaning.empty()) << k.key;
    }
  }
}

TEST(BinaryFlags, AnUnknownOptionIsAnErrorNotAStart) {
  for (const std::string binary : kBinaries) {
    const CommandResult r = runCommand({binary, "--no-such-option"});
    EXPECT_NE(r.exitCode, 0) << binary << ": " << r.output;
  }
}

}  // namespace
}  // namespace im::test
