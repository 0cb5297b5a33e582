// SPDX-License-Identifier: MIT
// Stack.h - the whole service (MariaDB, Redis, 2 pushd nodes, the fcgi pool, nginx) on free ports
// in a temporary directory, started once per test binary through the real `./im up`.
// Flow: StackMain registers StackEnvironment -> Stack::start() -> tests use Stack::get() -> stop().
#pragma once

#include <Poco/JSON/Object.h>

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/ChildProcess.h"
#include "tests/support/HttpClient.h"
#include "tests/support/TempDir.h"

namespace im::test {

class Stack {
 public:
  static constexpr int kPushdNodes = 2;
  static constexpr int kFcgiWorkers = 4;

  Stack();
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // The stack of this test binary; valid between StackEnvironment's SetUp and TearDown.
  static Stack& get();
  static void install(Stack* stack);

  // `./im up` on fresh free ports; throws std::runtime_error with the script's output and the
  // services' logs when anything does not come up. Tests never skip.
  void start();
  // `./im down`; keeps the var dir (and says where) when `keepFiles`.
  void stop(bool keepFiles);
  // `./im up` again: restarts whatever is not running (the script skips live services).
  void restartStopped();

  HttpClient http() const { return HttpClient("127.0.0.1", httpPort_); }
  const std::string& varDir() const { return dir_->path(); }

  // pushd
  std::vector<uint16_t> pushdPorts() const;
  Poco::JSON::Object::Ptr pushdStats(int node) const;  // GET /stats of node 0 or 1
  int heldPolls() const;                               // summed over the nodes that answer
  // Waits (polling /stats) until heldPolls() == n; false after `timeout`.
  bool waitForHeldPolls(int n, std::chrono::milliseconds timeout) const;
  void killPushd(int node, int sig);

  // fcgi
  pid_t fcgiMasterPid() const;
  std::vector<pid_t> fcgiWorkerPids() const;
  pid_t killOneFcgiWorker();  // SIGKILL; returns the victim

  // Redis: shut down (no save) and start again through `./im up`.
  void restartRedis();

  // MariaDB, as root over the socket: the rows (tab-separated columns), or throws.
  std::vector<std::string> sql(const std::string& query) const;
  long long sqlCount(const std::string& query) const;  // SELECT COUNT(*) ...
  // Waits until sqlCount(query) == want (acknowledgements are written in batches, a little
  // after the poll: fcgi/store/AckQueue); false after `timeout`.
  bool waitForCount(const std::string& query, long long want, std::chrono::milliseconds timeout) const;

  // The last lines of every service log, for failure messages.
  std::string logTails(int lines) const;

  // ---- outages (OutageTest): stop one backing store; restartStopped() brings it back ----
  // SIGTERM to mariadbd, then waits until it is gone (KILL after 30 s).
  void stopMysql();
  // Redis SHUTDOWN NOSAVE, then waits until it is gone.
  void stopRedis();
  // SIGSTOP / SIGCONT to mariadbd: a server that accepts connections but never answers.
  void pauseMysql(bool paused);
  // ---- end outages ----

  // --- supervision (SupervisionTest) ---
  // The stack starts without `./im up`'s supervisor (the failover tests need a dead node to stay
  // dead); this runs `./im up` again with IM_SUPERVISE=1, which starts it. `./im down` stops it.
  void startSupervisor();
  pid_t pushdPid(int node) const;
  pid_t supervisorPid() const;
  std::string status() const;  // `./im status`
  // --- end supervision ---

  // --- cluster helpers (ClusterTest) ---
  // redis-cli against the stack's Redis with `args`; its exit code and output.
  CommandResult redisCli(const std::vector<std::string>& args) const;
  // A node's id as it registers in im:nodes and names its list: "127.0.0.1:<port>".
  std::string pushdNodeId(int node) const;
  // --- end cluster helpers ---

 private:
  CommandResult im(const std::string& command) const;
  pid_t pidOf(const std::string& service) const;

  std::unique_ptr<TempDir> dir_;
  Environment env_;
  uint16_t httpPort_ = 0;
  uint16_t pushdPort_ = 0;
  uint16_t redisPort_ = 0;
  bool started_ = false;
};

}  // namespace im::test
