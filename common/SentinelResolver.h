// SPDX-License-Identifier: MIT
// SentinelResolver.h - finds the Redis primary through Redis Sentinel (redis.sentinels,
// redis.master_name): SENTINEL get-master-addr-by-name, then ROLE on the address it names.
// Used when a connection is (re)opened, never per command: steady-state traffic pays nothing.
// Blocking (hiredis sync API), each step bounded by redis.timeout_ms. Not thread safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/Config.h"
#include "common/RedisEndpoint.h"

namespace im::common {

class SentinelResolver {
 public:
  // config.sentinels must be a valid list (loadConfig checks it); empty means "no Sentinel".
  explicit SentinelResolver(const RedisConfig& config);
  SentinelResolver(const SentinelResolver&) = delete;
  SentinelResolver& operator=(const SentinelResolver&) = delete;

  // The primary, asking the sentinels in turn (the one that answered last first) until one
  // names an address that answers ROLE as a primary. nullopt while none does (the sentinels are
  // down, or a failover is under way and the named server is still a replica): error() says why.
  std::optional<RedisEndpoint> resolve();
  const std::string& error() const { return error_; }
  const std::string& masterName() const { return masterName_; }

 private:
  std::optional<RedisEndpoint> ask(const RedisEndpoint& sentinel);
  bool isPrimary(const RedisEndpoint& candidate);

  const std::vector<RedisEndpoint> sentinels_;
  const std::string masterName_;
  const int timeoutMs_;
  size_t preferred_ = 0;
  std::string error_;
};

}  // namespace im::common
