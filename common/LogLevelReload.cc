// SPDX-License-Identifier: MIT
// LogLevelReload.cc - the self-pipe behind SIGHUP. A config that does not load changes nothing
// (the error is logged); the levels in force stay.
#include "common/LogLevelReload.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <exception>

#include "common/Config.h"
#include "common/Log.h"

namespace im::common {
namespace {

std::atomic<int> gWakeFd{-1};  // the pipe's write end, for the handler

void onReloadSignal(int) {
  const int saved = errno;
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(gWakeFd.load(), &byte, 1);  // full pipe: one is pending anyway
  errno = saved;
}

void setHandler(void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGHUP, &sa, nullptr);
}

}  // namespace

void applyLogLevels(const Config& config) { setLogLevels(config.logLevel, config.logLevels); }

LogLevelReload::LogLevelReload(std::string configPath, std::vector<std::string> overrides)
    : configPath_(std::move(configPath)), overrides_(std::move(overrides)) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    IM_ERROR("log", "no SIGHUP reload of the log levels: pipe failed");
    return;
  }
  ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
  readFd_ = fds[0];
  gWakeFd.store(fds[1]);
  thread_ = std::thread([this] { run(readFd_); });
  setHandler(onReloadSignal);
}

LogLevelReload::~LogLevelReload() {
  if (!thread_.joinable()) return;
  setHandler(SIG_DFL);
  ::close(gWakeFd.exchange(-1));  // the thread reads end-of-file and returns
  thread_.join();
  ::close(readFd_);
}

void LogLevelReload::run(int readFd) {
  char buf[64];
  for (;;) {
    const ssize_t n = ::read(readFd, buf, sizeof buf);
    if (n == 0) return;
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    try {
      applyLogLevels(loadConfig(configPath_, overrides_));
      IM_INFO("log", "SIGHUP: log levels re-read");
    } catch (const std::exception& e) {
      IM_ERROR("log", std::string("SIGHUP: log levels not re-read: ") + e.what());
    }
  }
}

}  // namespace im::common
