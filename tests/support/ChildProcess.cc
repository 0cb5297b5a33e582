// SPDX-License-Identifier: MIT
// ChildProcess.cc - fork/exec, signal, wait; runCommand through a temporary output file.
#include "tests/support/ChildProcess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace im::test {
namespace {

int decodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Forks and execs; in the child, stdout+stderr go to `outFd` when >= 0. Everything the child
// needs is built before fork(): only async-signal-safe calls happen after it.
pid_t spawn(const std::vector<std::string>& argv, const Environment& env, int outFd) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  std::vector<std::string> args = argv;
  std::vector<std::string> envStrings = mergedEnvironment(env);
  std::vector<char*> argp = pointers(args);
  std::vector<char*> envp = pointers(envStrings);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    if (outFd >= 0) {
      ::dup2(outFd, STDOUT_FILENO);
      ::dup2(outFd, STDERR_FILENO);
    }
    const int devNull = ::open("/dev/null", O_RDONLY);
    if (devNull >= 0) ::dup2(devNull, STDIN_FILENO);
    ::execvpe(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

std::vector<std::string> mergedEnvironment(const Environment& extra) {
  Environment all;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) all[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [key, value] : extra) all[key] = value;
  std::vector<std::string> out;
  out.reserve(all.size());
  for (const auto& [key, value] : all) out.push_back(key + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const Environment& env,
                           const std::string& logPath) {
  int fd = -1;
  if (!logPath.empty()) {
    fd = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("ChildProcess: cannot open " + logPath);
  }
  try {
    pid_ = spawn(argv, env, fd);
  } catch (...) {
    if (fd >= 0) ::close(fd);
    throw;
  }
  if (fd >= 0) ::close(fd);
}

ChildProcess::~ChildProcess() {
  if (alive()) {
    ::kill(pid_, SIGKILL);
    waitFor(std::chrono::seconds(10));
  }
}

bool ChildProcess::alive() {
  if (exitCode_) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exitCode_ = decodeStatus(status);
    return false;
  }
  return r == 0;
}

void ChildProcess::signal(int sig) {
  if (alive()) ::kill(pid_, sig);
}

std::optional<int> ChildProcess::waitFor(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (alive()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return exitCode_;
}

CommandResult runCommand(const std::vector<std::string>& argv, const Environment& env) {
  char path[] = "/tmp/im-cmd-XXXXXX";
  const int fd = ::mkostemp(path, O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("runCommand: mkstemp failed");
  ::unlink(path);  // the open descriptor keeps the file; nothing is left behind
  CommandResult result;
  try {
    const pid_t pid = spawn(argv, env, fd);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exitCode = decodeStatus(status);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::lseek(fd, 0, SEEK_SET);
  char buffer[8192];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) result.output.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  return result;
}

bool isZombie(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::stringstream all;
  all << file.rdbuf();
  const std::string stat = all.str();
  const auto close = stat.rfind(')');
  return close == std::string::npos || stat.size() < close + 3 || stat[close + 2] == 'Z';
}

}  // namespace im::test
