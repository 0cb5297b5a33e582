// SPDX-License-Identifier: MIT
// MessageHook.cc - fork, a pipe to the child's stdin, exec sh -c, wait.
#include "cli/MessageHook.h"

#include "cli/SignalWatcher.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace im::cli {

int MessageHook::run(const std::string& json) const {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    ::dup2(fds[0], STDIN_FILENO);  // dup2 clears O_CLOEXEC on the copy
    SignalWatcher::unblockInChild();  // exec keeps the mask: the hook must be stoppable
    // stdin is the pipe, not the terminal: a hook that read the terminal would steal keystrokes.
    ::execl("/bin/sh", "sh", "-c", command_.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  const std::string line = json + "\n";
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fds[1], line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the hook closed its stdin early: its business (SIGPIPE is ignored)
    done += static_cast<size_t>(n);
  }
  ::close(fds[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace im::cli
