// SPDX-License-Identifier: MIT
// MasterReexec.h - SIGUSR2, php-fpm's upgrade: the master execs the binary now at its path, in the
// same process, handing the new image the listening socket and its old workers' pids.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace im::fcgi {

// Same pid for systemd and ./im; the hand-over is two environment variables, read and cleared
// by the new image before it forks.
class MasterReexec {
 public:
  // What a master exec'd by exec() was handed: the socket (-1: none, a fresh start) and the
  // workers of the image before, which finish their request and exit once the new ones run.
  struct Inherited {
    int listenFd = -1;
    std::string path;  // where the socket is bound (a unix socket), "" if unknown
    std::vector<pid_t> workers;
  };

  // Records the binary's path (/proc/self/exe) and argv (/proc/self/cmdline) before anything
  // can replace the file.
  MasterReexec();

  // Takes what exec() passed (and clears the variables, so workers never see them).
  static Inherited takeInherited();

  // Checks that the binary at the path runs (`--version`), then execs it with the same
  // arguments. Returns only when it could not: `why` says what failed; nothing changed.
  void exec(int listenFd, const std::vector<pid_t>& workers, std::string& why) const;

  const std::string& path() const { return path_; }

 private:
  bool newBinaryRuns(std::string& why) const;

  std::string path_;
  std::vector<std::string> argv_;
};

}  // namespace im::fcgi
