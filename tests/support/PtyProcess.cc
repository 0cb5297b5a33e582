// SPDX-License-Identifier: MIT
// PtyProcess.cc - forkpty, a non-blocking master read with poll(2), and reaping.
#include "tests/support/PtyProcess.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace im::test {

PtyProcess::PtyProcess(const std::vector<std::string>& argv, const Environment& env, int columns) {
  std::vector<std::string> args = argv;
  std::vector<std::string> envStrings = mergedEnvironment(env);
  std::vector<char*> argp = pointers(args);
  std::vector<char*> envp = pointers(envStrings);
  struct winsize size {};
  size.ws_col = static_cast<unsigned short>(columns);
  size.ws_row = 40;
  pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
  if (pid_ < 0) throw std::runtime_error(std::string("forkpty failed: ") + std::strerror(errno));
  if (pid_ == 0) {
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::fcntl(master_, F_SETFL, ::fcntl(master_, F_GETFL) | O_NONBLOCK);
}

PtyProcess::~PtyProcess() {
  if (!exitCode_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  ::close(master_);
}

void PtyProcess::type(const std::string& keys) {
  size_t done = 0;
  while (done < keys.size()) {
    const ssize_t n = ::write(master_, keys.data() + done, keys.size() - done);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) throw std::runtime_error(std::string("pty write failed: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

bool PtyProcess::readSome(std::chrono::milliseconds wait) {
  pollfd p{master_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  char buf[4096];
  const ssize_t n = ::read(master_, buf, sizeof buf);
  if (n <= 0) return false;  // EIO once the child has exited and closed the slave
  output_.append(buf, static_cast<size_t>(n));
  return true;
}

bool PtyProcess::expect(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const size_t at = output_.find(text, matchedUpTo_);
    if (at != std::string::npos) {
      matchedUpTo_ = at + text.size();
      return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    readSome(std::min(left, std::chrono::milliseconds(100)));
  }
}

bool PtyProcess::waitForAnywhere(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (output_.find(text) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    readSome(std::min(left, std::chrono::milliseconds(100)));
  }
  return true;
}

size_t PtyProcess::count(const std::string& text, size_t from) const {
  size_t n = 0;
  for (size_t at = output_.find(text, from); at != std::string::npos; at = output_.find(text, at + text.size())) ++n;
  return n;
}

std::optional<int> PtyProcess::waitExit(std::chrono::milliseconds timeout) {
  if (exitCode_) return exitCode_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      while (readSome(std::chrono::milliseconds(0))) {
      }
      exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exitCode_;
    }
    readSome(std::chrono::milliseconds(50));
  }
  return std::nullopt;
}

}  // namespace im::test
