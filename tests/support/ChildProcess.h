// SPDX-License-Identifier: MIT
// ChildProcess.h - RAII over a forked child (killed and reaped by the destructor), and runCommand
// for a command the caller waits for, with its output captured.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace im::test {

using Environment = std::map<std::string, std::string>;

// This process's environment with `extra` added (its values win), as "KEY=value" strings.
std::vector<std::string> mergedEnvironment(const Environment& extra);
// The char* array execve wants, pointing into `strings` (which must outlive it), nullptr-ended.
std::vector<char*> pointers(std::vector<std::string>& strings);

class ChildProcess {
 public:
  // Starts argv (argv[0] looked up in PATH) with this process's environment plus `env`.
  // stdout and stderr are appended to `logPath`, or inherited when it is empty.
  explicit ChildProcess(const std::vector<std::string>& argv, const Environment& env = {},
                        const std::string& logPath = "");
  // SIGKILL and reap, if still running: a test that fails half-way leaves no process behind.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool alive();
  void signal(int sig);
  // Waits for the exit; the exit code (128 + signal when killed). Nullopt on timeout.
  std::optional<int> waitFor(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> exitCode_;
};

struct CommandResult {
  int exitCode = -1;
  std::string output;  // stdout and stderr, interleaved
};

// Runs argv to completion. Output goes through a temporary file, not a pipe: a daemon the command
// starts may inherit its stdout, and a pipe would then never reach EOF.
CommandResult runCommand(const std::vector<std::string>& argv, const Environment& env = {});

// True when `pid` is gone or a zombie: a daemon reparented to a PID 1 that never reaps it stays
// a zombie, and kill(pid, 0) still succeeds on it.
bool isZombie(pid_t pid);

}  // namespace im::test
