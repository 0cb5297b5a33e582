// SPDX-License-Identifier: MIT
// HostListTest.cc - mysql.hosts / mysql.replicas: host[:port] lists, defaults and the errors.
#include "common/HostList.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace im::common {
namespace {

TEST(HostList, SplitsOnCommasAndBlanksAndSkipsEmptyEntries) {
  EXPECT_EQ(splitList(" a, b\tc,,d ,"), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(splitList(""), std::vector<std::string>{});
  EXPECT_EQ(splitList(" ,\t, "), std::vector<std::string>{});
  EXPECT_EQ(splitList("one"), std::vector<std::string>{"one"});
}

TEST(HostList, ParsesHostsWithAndWithoutPortsInOrder) {
  const auto hosts = parseHostList("mysql.hosts", "db1:3307, db2 ,10.0.0.3:3309", 3306);
  ASSERT_EQ(hosts.size(), 3u);
  EXPECT_EQ(hosts[0], (HostPort{"db1", 3307}));
  EXPECT_EQ(hosts[1], (HostPort{"db2", 3306}));
  EXPECT_EQ(hosts[2], (HostPort{"10.0.0.3", 3309}));
  EXPECT_EQ(hosts[2].label(), "10.0.0.3:3309");
}

TEST(HostList, TakesBracketedIpv6Addresses) {
  const auto hosts = parseHostList("mysql.hosts", "[::1]:3310 [fe80::2]", 3306);
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[0], (HostPort{"::1", 3310}));
  EXPECT_EQ(hosts[1], (HostPort{"fe80::2", 3306}));
}

TEST(HostList, AnEmptyListIsNoHosts) {
  EXPECT_TRUE(parseHostList("mysql.replicas", "", 3306).empty());
  EXPECT_TRUE(parseHostList("mysql.replicas", " , ", 3306).empty());
}

TEST(HostList, RejectsMalformedEntriesNamingTheKey) {
  for (const char* bad : {"db1:", "db1:0", "db1:65536", "db1:33x", ":3306", "[::1", "[::1]3306", "db1:-5"}) {
    try {
      parseHostList("mysql.hosts", bad, 3306);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("mysql.hosts"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace im::common
