// SPDX-License-Identifier: MIT
// Supervisor.h - the php-fpm-like master: opens fcgi.socket, forks fcgi.workers workers that
// share it, respawns the dead (with a backoff when they crash in a loop), replaces the recycled.
// SIGHUP: re-read the config, start new workers, stop the old ones gracefully.
// SIGUSR1: reopen log.file, and make every worker reopen it (logrotate).
// SIGUSR2: exec the binary at the same path (an upgrade) keeping the socket; the new master
// starts its workers, then the old ones finish their request and exit (MasterReexec).
// SIGTERM/SIGINT: stop every worker (each finishes its request), unlink the socket, exit 0.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/Config.h"
#include "fcgi/process/MasterReexec.h"
#include "fcgi/process/PoolMetrics.h"

namespace im::fcgi {

class Supervisor {
 public:
  // `configPath`/`overrides` are kept to re-read the config on SIGHUP.
  Supervisor(std::string configPath, std::vector<std::string> overrides, common::Config config);
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Runs until SIGTERM/SIGINT; returns the process exit code.
  int run();

 private:
  void openSocketOrDie();
  void spawn();
  void fillPool();
  void reap();
  void reload();
  void reopenLogs();
  void openOrInheritSocket();
  void retireInherited();
  void execNewBinary();
  void stopAll();
  [[noreturn]] void runWorker(int slot);

  std::string configPath_;
  std::vector<std::string> overrides_;
  common::Config config_;
  int listenFd_ = -1;
  int generation_ = 0;
  std::map<pid_t, int> workers_;  // pid -> generation
  int quickCrashes_ = 0;          // consecutive workers that died soon after start
  long long nextSpawnMs_ = 0;     // respawn backoff
  std::map<pid_t, long long> startedMs_;
  std::unique_ptr<PoolMetrics> metrics_;  // shared with the workers (inherited mapping)
  MasterReexec reexec_;
  std::vector<pid_t> inheritedWorkers_;  // the previous image's, stopped once ours run
};

}  // namespace im::fcgi
