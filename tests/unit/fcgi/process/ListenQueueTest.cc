// SPDX-License-Identifier: MIT
// ListenQueueTest.cc - sock_diag reports a unix listener's waiting connections and its backlog.
#include "fcgi/process/ListenQueue.h"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "common/UniqueFd.h"
#include "tests/support/UnixListener.h"

using namespace im::fcgi;
using im::common::UniqueFd;

TEST(ListenQueue, CountsConnectionsNobodyAcceptedYet) {
  const im::test::UnixListener listener("im-listen-queue", 7);
  auto idle = listenQueueOf(listener.fd());
  ASSERT_TRUE(idle.has_value());
  EXPECT_EQ(idle->waiting, 0u);
  EXPECT_EQ(idle->max, 7u);

  std::vector<UniqueFd> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(listener.connect());
  const auto busy = listenQueueOf(listener.fd());
  ASSERT_TRUE(busy.has_value());
  EXPECT_EQ(busy->waiting, 3u);
}

TEST(ListenQueue, NotASocketIsNoAnswer) { EXPECT_FALSE(listenQueueOf(-1).has_value()); }
