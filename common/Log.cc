// SPDX-License-Identifier: MIT
// Log.cc - formats and writes log lines; a single write(2) per line keeps lines whole across processes.
#include "common/Log.h"

#include <unistd.h>

#include <atomic>
#include <string>

#include "common/Clock.h"
#include "common/Time.h"

namespace im::common {
namespace {

std::atomic<int> gThreshold{static_cast<int>(LogLevel::Info)};

const char* name(LogLevel level) {
  switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
  }
  return "?";
}

}  // namespace

void setLogLevel(std::string_view level) {
  LogLevel l = LogLevel::Info;
  if (level == "debug") l = LogLevel::Debug;
  else if (level == "warning") l = LogLevel::Warning;
  else if (level == "error") l = LogLevel::Error;
  gThreshold.store(static_cast<int>(l));
}

bool logEnabled(LogLevel level) { return static_cast<int>(level) >= gThreshold.load(std::memory_order_relaxed); }

void logLine(LogLevel level, std::string_view component, std::string_view message) {
  std::string line = formatRfc3339(SystemClock().wallMs());
  line += ' ';
  line += name(level);
  line += " [";
  line += std::to_string(getpid());
  line += "] ";
  line += component;
  line += ": ";
  line += message;
  line += '\n';
  // Best effort: a log line that cannot be written is dropped, never fatal.
  [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace im::common
