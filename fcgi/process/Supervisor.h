// SPDX-License-Identifier: MIT
// Supervisor.h - the php-fpm-like master: opens fcgi.socket, forks fcgi.workers workers that
// share it, respawns the dead (with a backoff when they crash in a loop), replaces the recycled.
// SIGHUP: re-read the config, start new workers, stop the old ones gracefully.
// SIGTERM/SIGINT: stop every worker (each finishes its request), unlink the socket, exit 0.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "common/Config.h"

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
  void stopAll();
  [[noreturn]] void runWorker();

  std::string configPath_;
  std::vector<std::string> overrides_;
  common::Config config_;
  int listenFd_ = -1;
  int generation_ = 0;
  std::map<pid_t, int> workers_;  // pid -> generation
  int quickCrashes_ = 0;          // consecutive workers that died soon after start
  long long nextSpawnMs_ = 0;     // respawn backoff
  std::map<pid_t, long long> startedMs_;
};

}  // namespace im::fcgi
