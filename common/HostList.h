// SPDX-License-Identifier: MIT
// HostList.h - "host[:port], host[:port], ..." (mysql.hosts, mysql.replicas) parsed into endpoints:
// a pure function, so a typo fails at start-up with the config key named, not at the first query.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace im::common {

struct HostPort {
  std::string host;
  int port = 0;
  std::string label() const { return host + ":" + std::to_string(port); }
  bool operator==(const HostPort&) const = default;
};

// "a, b c" -> {a, b, c}: the list grammar of every list-valued config key (mysql.hosts,
// redis.sentinels, http.allowed_origins): entries separated by commas and/or blanks.
std::vector<std::string> splitList(std::string_view text);

// Entries as splitList's; an entry without ":port" takes `defaultPort`.
// An IPv6 address is written in brackets ("[::1]:3306"). Throws std::runtime_error naming `key`
// on an empty host, a port outside 1-65535 or trailing garbage.
std::vector<HostPort> parseHostList(const std::string& key, const std::string& text, int defaultPort);

}  // namespace im::common
