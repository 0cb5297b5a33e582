// SPDX-License-Identifier: MIT
// SentinelView.cc - redis-cli against the sentinels and the data nodes of the test's stack.
#include "tests/cluster/SentinelView.h"

#include <signal.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace im::test {
namespace {

constexpr const char* kMaster = "im";  // deploy/local/sentinel.sh's SENTINEL_MASTER

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  const std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return !text.empty() && close != std::string::npos && text.size() > close + 2 && text[close + 2] != 'Z';
}

}  // namespace

SentinelView::SentinelView(const Stack& stack) : varDir_(stack.varDir()) {
  std::ifstream in(varDir_ + "/im.properties");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("redis.sentinels", 0) != 0) continue;
    std::istringstream list(line.substr(line.find('=') + 1));
    for (std::string item; std::getline(list, item, ',');) sentinelPorts_.push_back(std::stoi(item.substr(item.rfind(':') + 1)));
  }
  if (sentinelPorts_.size() != 3) throw std::runtime_error("im.properties names no 3 sentinels: was IM_REDIS=sentinel set?");
}

CommandResult SentinelView::cli(int port, const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

int SentinelView::primaryPort() const {
  for (const int port : sentinelPorts_) {
    const CommandResult r = cli(port, {"SENTINEL", "get-master-addr-by-name", kMaster});
    std::istringstream lines(r.output);
    std::string host, p;
    if (r.exitCode == 0 && std::getline(lines, host) && std::getline(lines, p) && !p.empty()) return std::stoi(p);
  }
  return 0;
}

std::string SentinelView::role(int port) const {
  const CommandResult r = cli(port, {"ROLE"});
  return r.exitCode == 0 ? firstLine(r.output) : "";
}

bool SentinelView::replicaLinked(int port) const {
  return cli(port, {"INFO", "replication"}).output.find("master_link_status:up") != std::string::npos;
}

int SentinelView::waitForNewPrimary(int old, std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const int port = primaryPort();
    if (port != 0 && port != old && role(port) == "master") return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}

CommandResult SentinelView::primaryCli(const std::vector<std::string>& args) const {
  return cli(primaryPort(), args);
}

std::set<std::string> SentinelView::liveNodes() const {
  std::set<std::string> out;
  std::istringstream lines(primaryCli({"ZRANGE", "im:nodes", "0", "-1"}).output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) out.insert(line);
  }
  return out;
}

pid_t SentinelView::pidOf(int port) const {
  std::ifstream in(varDir_ + "/run/redis-" + std::to_string(port) + ".pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 0) throw std::runtime_error("no pid file for redis-" + std::to_string(port));
  return static_cast<pid_t>(pid);
}

void SentinelView::kill(int port) const {
  const pid_t pid = pidOf(port);
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 500 && alive(pid); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (alive(pid)) throw std::runtime_error("redis-" + std::to_string(port) + " survived SIGKILL");
}

void SentinelView::forceFailover() const {
  const CommandResult r = cli(sentinelPorts_.front(), {"SENTINEL", "FAILOVER", kMaster});
  if (r.exitCode != 0 || firstLine(r.output) != "OK") throw std::runtime_error("SENTINEL FAILOVER: " + r.output);
}

}  // namespace im::test
