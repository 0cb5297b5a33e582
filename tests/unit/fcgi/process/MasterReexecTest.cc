// SPDX-License-Identifier: MIT
// MasterReexecTest.cc - what a master exec'd on SIGUSR2 takes from its environment: a listening
// socket and the old workers' pids, or nothing when the variable names anything else; either
// way the variables are gone afterwards, so the workers it forks never see them.
#include "fcgi/process/MasterReexec.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "common/UniqueFd.h"
#include "tests/support/UnixListener.h"

using namespace im::fcgi;
using im::common::UniqueFd;

namespace {

void handOver(int fd, const std::string& workers) {
  setenv("IM_FCGI_LISTEN_FD", std::to_string(fd).c_str(), 1);
  setenv("IM_FCGI_OLD_WORKERS", workers.c_str(), 1);
}

}  // namespace

TEST(MasterReexec, AListeningSocketAndTheOldWorkersAreTakenOnce) {
  UniqueFd listener(::socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_EQ(::listen(listener.get(), 4), 0);  // unbound: the kernel picks a free port
  handOver(listener.get(), "101,102,103");
  const MasterReexec::Inherited in = MasterReexec::takeInherited();
  EXPECT_EQ(in.listenFd, listener.get());
  EXPECT_EQ(in.workers, (std::vector<pid_t>{101, 102, 103}));
  EXPECT_NE(::fcntl(listener.get(), F_GETFD) & FD_CLOEXEC, 0) << "only an exec may pass the socket on";
  EXPECT_EQ(std::getenv("IM_FCGI_LISTEN_FD"), nullptr);
  EXPECT_EQ(std::getenv("IM_FCGI_OLD_WORKERS"), nullptr);
  EXPECT_EQ(MasterReexec::takeInherited().listenFd, -1) << "taken twice";
}

// The new image learns the path of the socket it serves: a changed fcgi.socket cannot move it.
TEST(MasterReexec, AUnixSocketComesWithItsPath) {
  const im::test::UnixListener listener("im-reexec", 4);
  handOver(listener.fd(), "");
  const MasterReexec::Inherited in = MasterReexec::takeInherited();
  EXPECT_EQ(in.listenFd, listener.fd());
  EXPECT_EQ(in.path, listener.path());
  EXPECT_TRUE(in.workers.empty());
}

TEST(MasterReexec, ADescriptorThatIsNotAListeningSocketIsNotAdopted) {
  UniqueFd unconnected(::socket(AF_UNIX, SOCK_STREAM, 0));  // a socket, but not listening
  int pipeFds[2];
  ASSERT_EQ(::pipe(pipeFds), 0);
  UniqueFd readEnd(pipeFds[0]), writeEnd(pipeFds[1]);
  for (const int fd : {unconnected.get(), readEnd.get(), 9999}) {
    handOver(fd, "101");
    const MasterReexec::Inherited in = MasterReexec::takeInherited();
    EXPECT_EQ(in.listenFd, -1) << "fd " << fd;
    EXPECT_TRUE(in.workers.empty()) << "fd " << fd;
    EXPECT_EQ(std::getenv("IM_FCGI_LISTEN_FD"), nullptr);
  }
  setenv("IM_FCGI_LISTEN_FD", "not a number", 1);
  EXPECT_EQ(MasterReexec::takeInherited().listenFd, -1);
}

TEST(MasterReexec, KnowsTheBinaryItRunsFrom) {
  const MasterReexec reexec;
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  ASSERT_GT(n, 0);
  EXPECT_EQ(reexec.path(), std::string(self, static_cast<size_t>(n)));
}
