// SPDX-License-Identifier: MIT
// MasterReexec.cc - the exec of a new fcgi binary in place. The socket is the one descriptor
// that crosses it: the master keeps it FD_CLOEXEC and clears the flag just before execv.
#include "fcgi/process/MasterReexec.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>

#include "fcgi/process/ListenWait.h"

namespace im::fcgi {
namespace {

constexpr const char* kFdVar = "IM_FCGI_LISTEN_FD";
constexpr const char* kWorkersVar = "IM_FCGI_OLD_WORKERS";  // "pid,pid,..."
constexpr int kCheckTimeoutMs = 5000;                       // for `new-binary --version`

// A listening socket, or the variable was not ours to trust.
bool isListeningSocket(int fd) {
  struct stat st {};
  int listening = 0;
  socklen_t len = sizeof listening;
  return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode) &&
         getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 && listening != 0;
}

std::vector<pid_t> parsePids(const char* text) {
  std::vector<pid_t> pids;
  for (const char* p = text; p != nullptr && *p != '\0';) {
    pid_t pid = 0;
    const auto [end, ec] = std::from_chars(p, p + std::strlen(p), pid);
    if (ec != std::errc() || pid <= 0) break;
    pids.push_back(pid);
    p = *end == ',' ? end + 1 : end;
  }
  return pids;
}

std::string joinPids(const std::vector<pid_t>& pids) {
  std::string out;
  for (const pid_t pid : pids) out += (out.empty() ? "" : ",") + std::to_string(pid);
  return out;
}

bool fail(std::string& why, std::string text) {
  why = std::move(text);
  return false;
}

void setCloexec(int fd, bool on) {
  const int flags = fcntl(fd, F_GETFD);
  if (flags >= 0) fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
}

}  // namespace

MasterReexec::MasterReexec() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) path_.assign(buf, static_cast<size_t>(n));
  // Started from a file already replaced: the kernel names it "<path> (deleted)".
  const std::string deleted = " (deleted)";
  if (path_.size() > deleted.size() && path_.compare(path_.size() - deleted.size(), deleted.size(), deleted) == 0) {
    path_.resize(path_.size() - deleted.size());
  }
  std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  for (size_t start = 0; start < all.size();) {
    const size_t end = all.find('\0', start);
    argv_.push_back(all.substr(start, end == std::string::npos ? std::string::npos : end - start));
    start = end == std::string::npos ? all.size() : end + 1;
  }
}

MasterReexec::Inherited MasterReexec::takeInherited() {
  Inherited in;
  const char* fd = std::getenv(kFdVar);
  int value = -1;
  if (fd != nullptr && std::from_chars(fd, fd + std::strlen(fd), value).ec == std::errc() && isListeningSocket(value)) {
    in.listenFd = value;
    setCloexec(value, true);
    sockaddr_un bound{};
    socklen_t len = sizeof bound;
    if (getsockname(value, reinterpret_cast<sockaddr*>(&bound), &len) == 0 && bound.sun_family == AF_UNIX) {
      in.path.assign(bound.sun_path, strnlen(bound.sun_path, sizeof bound.sun_path));
    }
    in.workers = parsePids(std::getenv(kWorkersVar));
  }
  unsetenv(kFdVar);
  unsetenv(kWorkersVar);
  return in;
}

// A binary that cannot start (half copied, another architecture, a missing library) would take
// the master down with it; `--version` loads it as the exec would, without the risk.
bool MasterReexec::newBinaryRuns(std::string& why) const {
  const pid_t pid = fork();
  if (pid < 0) return fail(why, "fork failed");
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDOUT_FILENO);
    execl(path_.c_str(), path_.c_str(), "--version", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  for (int waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited += 10) {
    if (waited >= kCheckTimeoutMs) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return fail(why, path_ + " --version did not answer");
    }
    usleep(10 * 1000);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  return fail(why, path_ + " --version failed (status " + std::to_string(status) + ")");
}

void MasterReexec::exec(int listenFd, const std::vector<pid_t>& workers, std::string& why) const {
  if (path_.empty() || argv_.empty()) {
    why = "the binary's path is unknown";
    return;
  }
  if (!newBinaryRuns(why)) return;
  std::vector<char*> argv;
  for (const std::string& a : argv_) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  setenv(kFdVar, std::to_string(listenFd).c_str(), 1);
  setenv(kWorkersVar, joinPids(workers).c_str(), 1);
  setCloexec(listenFd, false);
  ListenWait::setNonBlocking(listenFd, false);  // our workers set it again; the next image's too
  execv(path_.c_str(), argv.data());
  why = std::string("execv ") + path_ + ": " + std::strerror(errno);
  ListenWait::setNonBlocking(listenFd, true);
  setCloexec(listenFd, true);
  unsetenv(kFdVar);
  unsetenv(kWorkersVar);
}

}  // namespace im::fcgi
