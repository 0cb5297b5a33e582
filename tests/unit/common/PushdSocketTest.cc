// SPDX-License-Identifier: MIT
// PushdSocketTest.cc - the node socket's name (no colon: nginx's unix:PATH: form), the checks
// pushd.socket_dir must pass, and the probe that tells a live listener from a dead one's file.
#include "common/PushdSocket.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "common/Config.h"
#include "common/UniqueFd.h"
#include "tests/support/TempDir.h"

namespace im::common {
namespace {

TEST(PushdSocket, NamesOneSocketPerNodeIdWithoutAColon) {
  EXPECT_EQ(pushdSocketPath("/run/im", "127.0.0.1:9101"), "/run/im/pushd-127.0.0.1-9101.sock");
  EXPECT_EQ(pushdSocketPath("/run/im", "10.0.0.5:9102"), "/run/im/pushd-10.0.0.5-9102.sock");
  EXPECT_EQ(pushdSocketPath("", "127.0.0.1:9101"), "") << "no directory: no local sockets";
}

TEST(PushdSocket, TheLongestAllowedDirectoryStillFitsTheLongestNodeSocket) {
  const std::string dir = "/" + std::string(kMaxPushdSocketDirBytes - 1, 'd');
  EXPECT_NO_THROW(checkPushdSocketDir(dir));
  EXPECT_LT(pushdSocketPath(dir, "255.255.255.255:65535").size(), sizeof(sockaddr_un{}.sun_path));
  EXPECT_THROW(checkPushdSocketDir(dir + "d"), std::runtime_error);
}

TEST(PushdSocket, AcceptsPlainAbsoluteDirectories) {
  for (const char* dir : {"", "/run/im", "/tmp/im-stack-Ab3xYz/run", "/var/lib/im_2/run.d"}) {
    EXPECT_NO_THROW(checkPushdSocketDir(dir)) << dir;
  }
}

// Each of these would need percent-encoding or normalisation in the X-Accel-Redirect URI, or
// would end the path early in `unix:PATH:`.
TEST(PushdSocket, RejectsWhatTheHandOverUriCannotCarryNamingTheKey) {
  for (const char* dir : {"run/im", "/run/im/", "/run//im", "/run/./im", "/run/../im", "/run/.im", "/run/i m",
                          "/run/im:1", "/run/im%20", "/run/im?x", "/"}) {
    try {
      checkPushdSocketDir(dir);
      ADD_FAILURE() << "accepted " << dir;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("pushd.socket_dir"), std::string::npos) << e.what();
    }
  }
}

TEST(PushdSocket, ConfigRefusesABadSocketDirAtLoad) {
  EXPECT_EQ(configFromMap({{"pushd.socket_dir", "/run/im"}}).pushd.socketDir, "/run/im");
  EXPECT_EQ(configFromMap({}).pushd.socketDir, "") << "off unless configured";
  EXPECT_THROW(configFromMap({{"pushd.socket_dir", "relative/run"}}), std::runtime_error);
}

// A listening socket at `path` (bound, listening with `backlog`), closed with the object.
UniqueFd listenAt(const std::string& path, int backlog) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM, 0));
  EXPECT_EQ(::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_EQ(::listen(fd.get(), backlog), 0);
  return fd;
}

TEST(PushdSocket, ProbeTellsALiveListenerFromTheFileADeadOneLeft) {
  const test::TempDir dir("im-probe");
  const std::string path = dir.path() + "/pushd-127.0.0.1-1.sock";
  EXPECT_EQ(probeUnixSocket(path), UnixProbe::Missing);
  {
    const UniqueFd listener = listenAt(path, 16);
    EXPECT_EQ(probeUnixSocket(path), UnixProbe::Listening);
  }
  // Closed without unlinking, as a SIGKILLed process leaves it.
  EXPECT_EQ(probeUnixSocket(path), UnixProbe::Refused);
  ::unlink(path.c_str());
  std::ofstream(path) << "not a socket";
  EXPECT_EQ(probeUnixSocket(path), UnixProbe::Unknown) << "a plain file proves nothing about a node";
  EXPECT_EQ(probeUnixSocket(""), UnixProbe::Unknown);
}

// A listener whose queue is full refuses nothing: the node is alive, only busy (EAGAIN).
TEST(PushdSocket, ProbeCountsAFullBacklogAsListening) {
  const test::TempDir dir("im-probe");
  const std::string path = dir.path() + "/full.sock";
  const UniqueFd listener = listenAt(path, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  std::vector<UniqueFd> queued;
  bool full = false;
  for (int i = 0; i < 64 && !full; ++i) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
    full = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 && errno == EAGAIN;
    queued.push_back(std::move(fd));
  }
  ASSERT_TRUE(full) << "the queue never filled";
  EXPECT_EQ(probeUnixSocket(path), UnixProbe::Listening);
}

}  // namespace
}  // namespace im::common
