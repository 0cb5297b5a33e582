// SPDX-License-Identifier: MIT
// UnixListenerTest.cc - the node's unix socket: reachable by any user (0666, like fcgi.sock), a
// dead node's file replaced at start, a live node's or a non-socket refused, unlinked at close.
#include "pushd/UnixListener.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <stdexcept>

#include "common/PushdSocket.h"
#include "tests/support/TempDir.h"

namespace im::pushd {
namespace {

class UnixListenerTest : public ::testing::Test {
 protected:
  mode_t modeOf() const {
    struct stat st{};
    return ::lstat(path.c_str(), &st) == 0 ? st.st_mode : 0;
  }

  test::TempDir dir{"im-unix"};
  const std::string path = common::pushdSocketPath(dir.path(), "127.0.0.1:9101");
};

TEST_F(UnixListenerTest, ListensWithAModeNginxsWorkersCanConnectToAndUnlinksAtClose) {
  std::optional<UnixListener> listener(std::in_place, path, 16);
  EXPECT_TRUE(S_ISSOCK(modeOf()));
  EXPECT_EQ(modeOf() & 0777, 0666u);
  EXPECT_EQ(common::probeUnixSocket(path), common::UnixProbe::Listening);
  listener->close();
  EXPECT_EQ(modeOf(), 0u) << "the file outlived close()";
  listener->close();  // idempotent
  listener.reset();
}

TEST_F(UnixListenerTest, ReplacesTheFileADeadNodeLeft) {
  {
    UnixListener dead(path, 16);
    ::link(path.c_str(), (path + ".keep").c_str());  // survives the unlink, as after a SIGKILL
  }
  ASSERT_EQ(::rename((path + ".keep").c_str(), path.c_str()), 0);
  ASSERT_EQ(common::probeUnixSocket(path), common::UnixProbe::Refused);
  const UnixListener fresh(path, 16);
  EXPECT_EQ(common::probeUnixSocket(path), common::UnixProbe::Listening);
}

TEST_F(UnixListenerTest, RefusesToStartOverALiveNodesSocket) {
  const UnixListener live(path, 16);
  EXPECT_THROW(UnixListener(path, 16), std::runtime_error);
  EXPECT_EQ(common::probeUnixSocket(path), common::UnixProbe::Listening) << "the live node lost its socket";
}

TEST_F(UnixListenerTest, RefusesToReplaceAFileThatIsNotASocket) {
  std::ofstream(path) << "an operator's file";
  try {
    UnixListener listener(path, 16);
    ADD_FAILURE() << "bound over a regular file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_TRUE(S_ISREG(modeOf())) << "the file was removed";
}

}  // namespace
}  // namespace im::pushd
