// SPDX-License-Identifier: MIT
// DeviceDirectoryTest.cc - session entries and the per-node batching of a notification.
#include "fcgi/redis/DeviceDirectory.h"

#include <gtest/gtest.h>

namespace im::fcgi {
namespace {

using common::Recipient;

TEST(DeviceDirectory, EntriesRoundTrip) {
  EXPECT_EQ(DeviceDirectory::formatEntry("127.0.0.1:9101", 1700000000123), "127.0.0.1:9101|1700000000123");
  const auto e = DeviceDirectory::parseEntry("127.0.0.1:9101|1700000000123");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->node, "127.0.0.1:9101");
  EXPECT_EQ(e->unixMs, 1700000000123);
  for (const char* bad : {"", "node", "|5", "node|", "node|5x"}) EXPECT_FALSE(DeviceDirectory::parseEntry(bad)) << bad;
}

TEST(DeviceDirectory, GroupsRecipientsByNodeOncePerUid) {
  const std::vector<Recipient> recipients{{1, 10}, {2, 20}, {3, 30}};
  const std::vector<DeviceDirectory::DeviceHash> sessions{
      {{"11", "a|1000"}, {"12", "a|1000"}, {"13", "b|1000"}},  // uid 1: two devices on a, one on b
      {{"21", "a|1000"}},
      {},  // uid 3 offline
  };
  const auto nodes = DeviceDirectory::groupByNode(recipients, sessions, 2000, 5000);
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes.at("a"), (std::vector<Recipient>{{1, 10}, {2, 20}}));
  EXPECT_EQ(nodes.at("b"), (std::vector<Recipient>{{1, 10}}));
}

TEST(DeviceDirectory, SkipsStaleAndMalformedEntries) {
  const std::vector<Recipient> recipients{{1, 10}};
  const std::vector<DeviceDirectory::DeviceHash> sessions{{{"11", "a|1000"}, {"12", "garbage"}, {"13", "b|9000"}}};
  const auto nodes = DeviceDirectory::groupByNode(recipients, sessions, 10000, 5000);
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_TRUE(nodes.count("b"));
}

}  // namespace
}  // namespace im::fcgi
