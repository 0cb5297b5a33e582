// SPDX-License-Identifier: MIT
// ListenQueueTest.cc - sock_diag reports a unix listener's waiting connections and its backlog.
#include "fcgi/process/ListenQueue.h"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "common/UniqueFd.h"

using namespace im::fcgi;
using im::common::UniqueFd;

TEST(ListenQueue, CountsConnectionsNobodyAcceptedYet) {
  const std::string path = ::testing::TempDir() + "im-listen-queue-" + std::to_string(::getpid()) + ".sock";
  ::unlink(path.c_str());
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof address.sun_path);
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM, 0));
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener.get(), 7), 0);

  auto idle = listenQueueOf(listener.get());
  ASSERT_TRUE(idle.has_value());
  EXPECT_EQ(idle->waiting, 0u);
  EXPECT_EQ(idle->max, 7u);

  std::vector<UniqueFd> clients;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back(::socket(AF_UNIX, SOCK_STREAM, 0));
    ASSERT_EQ(::connect(clients.back().get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  }
  const auto busy = listenQueueOf(listener.get());
  ASSERT_TRUE(busy.has_value());
  EXPECT_EQ(busy->waiting, 3u);
  ::unlink(path.c_str());
}

TEST(ListenQueue, NotASocketIsNoAnswer) { EXPECT_FALSE(listenQueueOf(-1).has_value()); }
