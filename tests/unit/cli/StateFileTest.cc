// SPDX-License-Identifier: MIT
// StateFileTest.cc - where the state lives, that it survives a reload exactly, and its mode.
#include "cli/StateFile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "tests/support/TempDir.h"

namespace im::cli {
namespace {

TEST(StateFile, PathUsesXdgStateHomeThenHomeAndNamesServerAndUser) {
  EXPECT_EQ(StateFile::pathFor({{"XDG_STATE_HOME", "/s"}, {"HOME", "/h"}}, "http://127.0.0.1:8080", "alice"),
            "/s/im-cli/127.0.0.1_8080/alice");
  EXPECT_EQ(StateFile::pathFor({{"HOME", "/h"}}, "http://example.org", "bob"), "/h/.local/state/im-cli/example.org_80/bob");
  // A relative XDG_STATE_HOME is invalid by the spec: ignored.
  EXPECT_EQ(StateFile::pathFor({{"XDG_STATE_HOME", "rel"}, {"HOME", "/h"}}, "http://a:1", "c"),
            "/h/.local/state/im-cli/a_1/c");
  EXPECT_THROW(StateFile::pathFor({}, "http://a:1", "c"), std::runtime_error);
}

TEST(StateFile, PathCannotEscapeItsFolder) {
  const std::string p = StateFile::pathFor({{"HOME", "/h"}}, "http://a:1/x/../y", "../../etc");
  EXPECT_EQ(p.find("/../"), std::string::npos) << p;
}

TEST(StateFile, AbsentFileIsAnEmptyState) {
  test::TempDir dir("im-state");
  StateFile file(dir.path() + "/nothing/here");
  const ClientState s = file.load();
  EXPECT_TRUE(s.token.empty());
  EXPECT_FALSE(s.hasCursor);
}

TEST(StateFile, SavedStateReloadsExactlyWithMode0600) {
  test::TempDir dir("im-state");
  const std::string path = dir.path() + "/im-cli/srv/alice";
  {
    StateFile file(path);
    file.load();
    file.setSession("tok-123", 42);
    file.setCursor(18446744073709551615ull);  // ids may use all 64 bits
  }
  StateFile again(path);
  const ClientState s = again.load();
  EXPECT_EQ(s.token, "tok-123");
  EXPECT_EQ(s.userId, 42u);
  EXPECT_TRUE(s.hasCursor);
  EXPECT_EQ(s.cursor, 18446744073709551615ull);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));  // renamed into place, nothing left over
}

TEST(StateFile, LogoutKeepsTheCursor) {
  test::TempDir dir("im-state");
  StateFile file(dir.path() + "/s");
  file.load();
  file.setSession("t", 1);
  file.setCursor(7);
  file.setSession("", 1);
  StateFile again(dir.path() + "/s");
  const ClientState s = again.load();
  EXPECT_TRUE(s.token.empty());
  EXPECT_EQ(s.cursor, 7u);
}

TEST(StateFile, CorruptFileIsReportedNotIgnored) {
  test::TempDir dir("im-state");
  std::ofstream(dir.path() + "/s") << "token=x\ncursor=banana\n";
  StateFile file(dir.path() + "/s");
  EXPECT_THROW(file.load(), std::runtime_error);
}

}  // namespace
}  // namespace im::cli
