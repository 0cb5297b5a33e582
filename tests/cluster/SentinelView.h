// SPDX-License-Identifier: MIT
// SentinelView.h - the Redis Sentinel side of a stack started with IM_REDIS=sentinel: which data
// node is the primary (as the sentinels say and as ROLE says), killing and counting them.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/Stack.h"

namespace im::test {

class SentinelView {
 public:
  // Reads the sentinels from the stack's im.properties (redis.sentinels, written by ./im up).
  explicit SentinelView(const Stack& stack);

  // The two data nodes (./im's IM_REDIS_PORT and +1: the sentinels' ports minus 2 and 1).
  std::vector<int> dataPorts() const { return {sentinelPorts_.front() - 2, sentinelPorts_.front() - 1}; }
  // The primary's port as the first sentinel that answers names it; 0 when none answers.
  int primaryPort() const;
  // ROLE's first word on 127.0.0.1:port ("master", "slave"); "" when it does not answer.
  std::string role(int port) const;
  // INFO replication of a replica says its link to the primary is up.
  bool replicaLinked(int port) const;
  // Until the sentinels name a primary other than `old` and it answers ROLE master; its port or 0.
  int waitForNewPrimary(int old, std::chrono::seconds timeout) const;
  // redis-cli against the current primary.
  CommandResult primaryCli(const std::vector<std::string>& args) const;
  // The pushd nodes registered in im:nodes on the current primary.
  std::set<std::string> liveNodes() const;

  pid_t pidOf(int port) const;  // from ./im's pid file run/redis-<port>.pid
  // SIGKILL to the data node on `port`; returns once the process is gone.
  void kill(int port) const;
  // SENTINEL FAILOVER: a failover without a dead primary (the old one is demoted, alive).
  void forceFailover() const;

 private:
  CommandResult cli(int port, const std::vector<std::string>& args) const;

  std::string varDir_;
  std::vector<int> sentinelPorts_;
};

}  // namespace im::test
