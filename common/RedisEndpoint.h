// SPDX-License-Identifier: MIT
// RedisEndpoint.h - where a Redis is (host:port), the redis.sentinels list, and the two Sentinel
// replies we read (get-master-addr-by-name, ROLE). Pure: no sockets, unit-tested on RESP bytes.
#pragma once

#include <hiredis/hiredis.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace im::common {

struct RedisEndpoint {
  std::string host;
  int port = 0;

  std::string text() const { return host + ":" + std::to_string(port); }
  bool operator==(const RedisEndpoint& o) const { return host == o.host && port == o.port; }
};

// "127.0.0.1:26379, 127.0.0.1:26380" (commas and/or blanks between entries; "[::1]:26379" for
// IPv6). Throws std::runtime_error naming the bad entry; an empty text is an empty list.
std::vector<RedisEndpoint> parseEndpoints(std::string_view text);

// SENTINEL get-master-addr-by-name <name> answers ["<ip>", "<port>"], or nil when the sentinel
// does not monitor that name. nullopt for nil and for anything malformed.
std::optional<RedisEndpoint> masterFromSentinelReply(const redisReply* reply);

// ROLE answers ["master", offset, replicas] on a primary and ["slave", ...] on a replica (or
// ["sentinel", ...]). Only a primary takes our writes: a stale primary the sentinels demoted
// answers "slave" and must be left even when a sentinel still names it.
bool isPrimaryRoleReply(const redisReply* reply);

// The errors that mean "this server cannot serve us as the primary now": it was demoted
// (READONLY), is loading its data set after a restart (LOADING), lost its primary
// (MASTERDOWN), unblocked our blocking pop because its role changed (UNBLOCKED), or refuses
// writes for want of replicas (NOREPLICAS, with min-replicas-to-write set).
bool isFailoverError(std::string_view error);

}  // namespace im::common
