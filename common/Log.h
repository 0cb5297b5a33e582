// SPDX-License-Identifier: MIT
// Log.h - one line per event on stderr: time, level, pid, component, message.
// Callers never pass secrets (passwords, tokens, the MySQL password) to it.
#pragma once

#include <string_view>

namespace im::common {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

// Process-wide threshold; set once at startup from Config::logLevel.
void setLogLevel(std::string_view level);
bool logEnabled(LogLevel level);
void logLine(LogLevel level, std::string_view component, std::string_view message);

}  // namespace im::common

#define IM_LOG(level, component, message)                                     \
  do {                                                                        \
    if (::im::common::logEnabled(level)) ::im::common::logLine(level, component, message); \
  } while (0)
#define IM_DEBUG(component, message) IM_LOG(::im::common::LogLevel::Debug, component, message)
#define IM_INFO(component, message) IM_LOG(::im::common::LogLevel::Info, component, message)
#define IM_WARN(component, message) IM_LOG(::im::common::LogLevel::Warning, component, message)
#define IM_ERROR(component, message) IM_LOG(::im::common::LogLevel::Error, component, message)
