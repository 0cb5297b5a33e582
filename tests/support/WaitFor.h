// SPDX-License-Identifier: MIT
// WaitFor.h - waiting on observable state instead of sleeping: polls `done` every 50 ms until
// it holds or `timeout` passed. An exception from `done` counts as "not yet" (a pid file being
// rewritten, a daemon not listening yet).
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <thread>

namespace im::test {

inline bool waitFor(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
  for (const auto deadline = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < deadline;) {
    try {
      if (done()) return true;
    } catch (const std::exception&) {
      // not yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace im::test
