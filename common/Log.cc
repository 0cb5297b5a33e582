// SPDX-License-Identifier: MIT
// Log.cc - formats and writes log lines; a single write(2) per line keeps lines whole across
// processes. The log file's path lives in a fixed buffer so the SIGUSR1 handler needs no allocation.
#include "common/Log.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>

#include "common/Clock.h"
#include "common/Time.h"

namespace im::common {
namespace {

std::atomic<int> gThreshold{static_cast<int>(LogLevel::Info)};
// The lowest of gThreshold and every component's: below it nothing logs, one load decides.
std::atomic<int> gLowest{static_cast<int>(LogLevel::Info)};

// Per-component thresholds, append-only so that readers need no lock: a slot's name is written
// before gComponentCount publishes it and never changes; a component dropped from the config
// keeps its slot with kNoThreshold (it then follows gThreshold).
constexpr int kNoThreshold = -1;
constexpr size_t kMaxComponents = 32;
constexpr size_t kMaxComponentName = 31;
struct ComponentThreshold {
  char name[kMaxComponentName + 1] = {0};
  std::atomic<int> threshold{kNoThreshold};
};
ComponentThreshold gComponents[kMaxComponents];
std::atomic<size_t> gComponentCount{0};
std::mutex gWriter;  // setLogLevels callers only
thread_local std::string tRequestId;
char gLogPath[4096] = {0};  // written before the handler is installed, read-only afterwards

const char* levelName(LogLevel level) {
  switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
  }
  return "?";
}

// Async-signal-safe: open, dup2 and close only.
bool openOntoStdio(const char* path) {
  const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return false;
  ::dup2(fd, STDOUT_FILENO);
  ::dup2(fd, STDERR_FILENO);
  ::close(fd);
  return true;
}

void onReopenSignal(int) {
  const int saved = errno;  // the interrupted code may be about to read errno
  reopenLogFile();
  errno = saved;
}

}  // namespace

bool parseLogLevel(std::string_view name, LogLevel& out) {
  for (const LogLevel l : {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error}) {
    if (name == levelName(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void setLogLevel(std::string_view level) { setLogLevels(level, {}); }

// Unknown names fall back to info (Config rejects them before they get here).
void setLogLevels(std::string_view level, const std::map<std::string, std::string>& perComponent) {
  const std::lock_guard<std::mutex> lock(gWriter);
  LogLevel base = LogLevel::Info;
  parseLogLevel(level, base);
  int lowest = static_cast<int>(base);
  const size_t known = gComponentCount.load(std::memory_order_acquire);
  for (size_t i = 0; i < known; ++i) gComponents[i].threshold.store(kNoThreshold, std::memory_order_relaxed);
  for (const auto& [component, name] : perComponent) {
    LogLevel l = LogLevel::Info;
    if (!parseLogLevel(name, l) || component.empty() || component.size() > kMaxComponentName) continue;
    size_t i = 0, count = gComponentCount.load(std::memory_order_acquire);
    while (i < count && component != gComponents[i].name) ++i;
    if (i == kMaxComponents) continue;  // more components than any binary has
    gComponents[i].threshold.store(static_cast<int>(l), std::memory_order_relaxed);
    if (i == count) {
      std::memcpy(gComponents[i].name, component.c_str(), component.size() + 1);
      gComponentCount.store(count + 1, std::memory_order_release);
    }
    lowest = std::min(lowest, static_cast<int>(l));
  }
  gThreshold.store(static_cast<int>(base));
  gLowest.store(lowest);
}

bool logEnabled(LogLevel level) { return static_cast<int>(level) >= gLowest.load(std::memory_order_relaxed); }

bool logEnabled(LogLevel level, std::string_view component) {
  const int l = static_cast<int>(level);
  if (l < gLowest.load(std::memory_order_relaxed)) return false;
  const size_t count = gComponentCount.load(std::memory_order_acquire);
  for (size_t i = 0; i < count; ++i) {
    if (component != gComponents[i].name) continue;
    const int own = gComponents[i].threshold.load(std::memory_order_relaxed);
    if (own != kNoThreshold) return l >= own;
    break;
  }
  return l >= gThreshold.load(std::memory_order_relaxed);
}

bool validRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// assign/clear keep the buffer: pushd sets an id per poll answer without an allocation each.
void setRequestId(std::string_view id) {
  if (validRequestId(id)) tRequestId.assign(id);
  else tRequestId.clear();
}

const std::string& requestId() { return tRequestId; }

std::string quoteLogValue(std::string_view value) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

void logLine(LogLevel level, std::string_view component, std::string_view message) {
  std::string line = "ts=" + formatRfc3339(SystemClock().wallMs());
  line += " level=";
  line += levelName(level);
  line += " pid=";
  line += std::to_string(getpid());
  line += " component=";
  line += component;
  if (!tRequestId.empty()) {
    line += " req=";
    line += tRequestId;
  }
  line += " msg=";
  line += quoteLogValue(message);
  line += '\n';
  // Best effort: a log line that cannot be written is dropped, never fatal.
  [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
}

void setLogFile(const std::string& path) {
  if (path.empty()) return;
  if (path.size() >= sizeof gLogPath) throw std::runtime_error("log.file: path too long");
  if (!openOntoStdio(path.c_str())) {
    throw std::runtime_error("log.file: cannot open " + path + ": " + std::strerror(errno));
  }
  std::memcpy(gLogPath, path.c_str(), path.size() + 1);
}

void reopenLogFile() {
  if (gLogPath[0] != '\0') openOntoStdio(gLogPath);
}

void installLogReopenHandler() {
  struct sigaction sa {};
  sa.sa_handler = onReopenSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, nullptr);
}

}  // namespace im::common
