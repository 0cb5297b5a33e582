// SPDX-License-Identifier: MIT
// PtyProcess.h - a child on a pseudo-terminal, driven the way a person would: type keys, wait
// (with a deadline) until a text appears on its screen. For the console client's tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/ChildProcess.h"

namespace im::test {

class PtyProcess {
 public:
  // Starts argv on a new pty of `columns` x 40 with this process's environment plus `env`.
  PtyProcess(const std::vector<std::string>& argv, const Environment& env, int columns = 200);
  // SIGKILL and reap if still running.
  ~PtyProcess();
  PtyProcess(const PtyProcess&) = delete;
  PtyProcess& operator=(const PtyProcess&) = delete;

  // Writes keystrokes; "\r" is Enter.
  void type(const std::string& keys);
  // Reads until `text` appears after the last match (or after the start); true when it did.
  // The matched text is consumed: the next expect() looks past it.
  bool expect(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  // Reads until `text` occurs anywhere in the output (nothing consumed); false after the deadline.
  bool waitForAnywhere(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  // Everything the child wrote so far (terminal escapes included).
  const std::string& output() const { return output_; }
  // Times `text` occurs in output() from `from` on.
  size_t count(const std::string& text, size_t from = 0) const;
  size_t mark() const { return matchedUpTo_; }
  // Waits for the exit, reading the screen meanwhile; the exit code, nullopt on timeout.
  std::optional<int> waitExit(std::chrono::milliseconds timeout);

 private:
  bool readSome(std::chrono::milliseconds wait);

  pid_t pid_ = -1;
  int master_ = -1;
  std::string output_;
  size_t matchedUpTo_ = 0;
  std::optional<int> exitCode_;
};

}  // namespace im::test
