// SPDX-License-Identifier: MIT
// GaleraNodes.cc - root access to the local Galera nodes through their sockets and pid files.
#include "tests/cluster/GaleraNodes.h"

#include <signal.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/ChildProcess.h"

namespace im::test {

using namespace std::chrono_literals;

std::string GaleraNodes::name(int node) const {
  if (node == kReplica) return "mysql-replica";
  return node == 0 ? "mysql" : "mysql-" + std::to_string(node);
}

std::vector<std::string> GaleraNodes::sql(int node, const std::string& query) const {
  const CommandResult r = runCommand({"mariadb", "--no-defaults", "--socket=" + stack_.varDir() + "/run/" +
                                      name(node) + ".sock", "-uroot", "--batch", "--skip-column-names", "im",
                                      "-e", query});
  if (r.exitCode != 0) throw std::runtime_error(name(node) + ": " + query + ": " + r.output);
  std::vector<std::string> rows;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  return rows;
}

long long GaleraNodes::count(int node, const std::string& query) const {
  const auto rows = sql(node, query);
  if (rows.size() != 1) throw std::runtime_error(name(node) + ": no single count from " + query);
  return std::stoll(rows[0]);
}

std::string GaleraNodes::status(int node, const std::string& variable) const {
  const auto rows = sql(node, "SHOW GLOBAL STATUS LIKE '" + variable + "'");
  if (rows.empty()) return "";
  return rows[0].substr(rows[0].find('\t') + 1);
}

bool GaleraNodes::synced(int node) const {
  try {
    return status(node, "wsrep_local_state_comment") == "Synced" &&
           status(node, "wsrep_cluster_size") == std::to_string(kNodes);
  } catch (const std::runtime_error&) {
    return false;  // not answering yet
  }
}

bool GaleraNodes::waitAllSynced(std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    bool all = true;
    for (int n = 0; n < kNodes && all; ++n) all = synced(n);
    if (all) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

bool GaleraNodes::waitCount(int node, const std::string& query, long long want, std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (count(node, query) == want) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

long long GaleraNodes::serviceConnections(int node) const {
  return count(node, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'im'");
}

void GaleraNodes::kill(int node, int sig) const {
  std::ifstream file(stack_.varDir() + "/run/" + name(node) + ".pid");
  pid_t pid = 0;
  if (!(file >> pid) || pid <= 0) throw std::runtime_error("no pid file for " + name(node));
  ::kill(pid, sig);
  for (int i = 0; i < 600 && !isZombie(pid); ++i) std::this_thread::sleep_for(50ms);
  if (!isZombie(pid)) throw std::runtime_error(name(node) + " did not die");
}

std::string GaleraNodes::log(int node) const {
  std::ifstream file(stack_.varDir() + "/log/" + name(node) + ".log");
  std::stringstream all;
  all << file.rdbuf();
  return all.str();
}

}  // namespace im::test
