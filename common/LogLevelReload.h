// SPDX-License-Identifier: MIT
// LogLevelReload.h - SIGHUP re-reads log.level and log.level.<component> from the config (file,
// IM_* environment, --set) in a process that has nothing else to reload in place (im-pushd):
// the handler only writes a byte to a pipe; a thread of its own reads the config and applies it.
#pragma once

#include <string>
#include <thread>
#include <vector>

namespace im::common {

struct Config;

class LogLevelReload {
 public:
  // Installs the SIGHUP handler (one instance per process).
  LogLevelReload(std::string configPath, std::vector<std::string> overrides);
  ~LogLevelReload();  // restores SIGHUP's default, stops the thread
  LogLevelReload(const LogLevelReload&) = delete;
  LogLevelReload& operator=(const LogLevelReload&) = delete;

 private:
  void run(int readFd);

  const std::string configPath_;
  const std::vector<std::string> overrides_;
  int readFd_ = -1;
  std::thread thread_;
};

// Applies log.level and log.level.<component> of `config` (what startup and a reload do).
void applyLogLevels(const Config& config);

}  // namespace im::common
