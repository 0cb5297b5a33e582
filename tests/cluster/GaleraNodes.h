// SPDX-License-Identifier: MIT
// GaleraNodes.h - the Galera nodes (and the replica) of a Stack started with IM_MYSQL=galera /
// IM_MYSQL_REPLICA=1, as the cluster tests see them: root SQL on one node, its wsrep status, kill.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/integration/Stack.h"

namespace im::test {

class GaleraNodes {
 public:
  static constexpr int kNodes = 3;
  static constexpr int kReplica = -1;  // the async replica, where a node index is taken

  explicit GaleraNodes(const Stack& stack) : stack_(stack) {}

  // As root over the node's socket: the rows (tab-separated columns), or throws.
  std::vector<std::string> sql(int node, const std::string& query) const;
  long long count(int node, const std::string& query) const;  // SELECT COUNT(*) ...
  std::string status(int node, const std::string& variable) const;  // SHOW GLOBAL STATUS
  // Synced, in a primary component of all kNodes nodes.
  bool synced(int node) const;
  // Polls until every node is synced; false after `timeout`.
  bool waitAllSynced(std::chrono::seconds timeout) const;
  // Polls until `query` (a COUNT(*)) answers `want` on `node`; false after `timeout`.
  bool waitCount(int node, const std::string& query, long long want, std::chrono::seconds timeout) const;
  // The service account's connections on the node.
  long long serviceConnections(int node) const;
  // Sends `sig` to the node's mariadbd and waits until it is gone.
  void kill(int node, int sig) const;
  // The node's error log.
  std::string log(int node) const;

 private:
  std::string name(int node) const;

  const Stack& stack_;
};

}  // namespace im::test
