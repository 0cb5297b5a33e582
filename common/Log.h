// SPDX-License-Identifier: MIT
// Log.h - one line per event on stderr, key=value: ts, level, pid, component, req (the nginx
// $request_id of the request in hand, when there is one) and msg. Callers never pass secrets
// (passwords, tokens, the MySQL password) to it.
// With log.file set, stderr (and stdout) are that file, reopened on SIGUSR1 (nginx's convention)
// so that logrotate can move it away.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace im::common {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

// "debug", "info", "warning" or "error"; false for anything else.
bool parseLogLevel(std::string_view name, LogLevel& out);

// The process-wide threshold (log.level), with no per-component ones.
void setLogLevel(std::string_view level);
// log.level and log.level.<component>: `perComponent` maps a component (the `component=` of
// its lines) to its own threshold; a component not named takes `level`. Callable at any time
// from one thread at a time (startup, a reload) while others log: readers take no lock.
void setLogLevels(std::string_view level, const std::map<std::string, std::string>& perComponent);
// Whether `component` logs `level` lines.
bool logEnabled(LogLevel level, std::string_view component);
// Whether any component logs `level` lines: a cheap guard before building a costly message.
bool logEnabled(LogLevel level);
void logLine(LogLevel level, std::string_view component, std::string_view message);

// The request id of this thread's later lines ("" for none). Ids that are not 1-64 characters
// of [0-9A-Za-z-] are ignored, so nothing a client typed reaches the log through it.
void setRequestId(std::string_view id);
const std::string& requestId();
// What setRequestId keeps: 1-64 characters of [0-9A-Za-z-] (nginx's $request_id is 32 hex).
// common/HoldRequest validates the id it carries to pushd with it too.
bool validRequestId(std::string_view id);
// msg's value as logLine writes it: quoted, with `"`, `\` and control characters escaped.
std::string quoteLogValue(std::string_view value);

// Points stdout and stderr at `path` (append, created 0640). Throws std::runtime_error when it
// cannot be opened. An empty path leaves them alone.
void setLogFile(const std::string& path);
// Opens the log.file path again onto stdout and stderr; async-signal-safe, a no-op without one.
void reopenLogFile();
// SIGUSR1 -> reopenLogFile(), in whichever thread takes it (SA_RESTART: no call is cut short).
void installLogReopenHandler();

}  // namespace im::common

#define IM_LOG(level, component, message)                                     \
  do {                                                                        \
    if (::im::common::logEnabled(level, component)) ::im::common::logLine(level, component, message); \
  } while (0)
#define IM_DEBUG(component, message) IM_LOG(::im::common::LogLevel::Debug, component, message)
#define IM_INFO(component, message) IM_LOG(::im::common::LogLevel::Info, component, message)
#define IM_WARN(component, message) IM_LOG(::im::common::LogLevel::Warning, component, message)
#define IM_ERROR(component, message) IM_LOG(::im::common::LogLevel::Error, component, message)
