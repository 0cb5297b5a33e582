// SPDX-License-Identifier: MIT
// SignalWatcher.h - SIGINT, SIGTERM and SIGHUP taken by a thread of their own (sigwait), so the
// reaction may lock and notify like any code. Construct it before any other thread starts:
// it blocks those signals in the constructing thread, and threads inherit the mask.
#pragma once

#include <functional>
#include <mutex>
#include <thread>

namespace im::cli {

class SignalWatcher {
 public:
  explicit SignalWatcher(std::function<void()> onSignal);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  void setHandler(std::function<void()> onSignal);

  // For a child about to exec: unblocks what the constructor blocked.
  static void unblockInChild();

 private:
  std::mutex mutex_;  // guards onSignal_
  std::function<void()> onSignal_;
  std::thread thread_;
};

}  // namespace im::cli
