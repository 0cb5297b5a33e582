// SPDX-License-Identifier: MIT
// SignalWatcher.cc - sigwait loop; SIGUSR1 from the destructor ends it.
#include "cli/SignalWatcher.h"

#include <pthread.h>
#include <signal.h>

namespace im::cli {
namespace {

sigset_t watchedSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);
  return set;
}

}  // namespace

SignalWatcher::SignalWatcher(std::function<void()> onSignal) : onSignal_(std::move(onSignal)) {
  const sigset_t set = watchedSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this] {
    const sigset_t waitFor = watchedSet();
    for (;;) {
      int sig = 0;
      if (sigwait(&waitFor, &sig) != 0 || sig == SIGUSR1) return;
      const std::lock_guard lock(mutex_);
      if (onSignal_) onSignal_();
    }
  });
}

SignalWatcher::~SignalWatcher() {
  pthread_kill(thread_.native_handle(), SIGUSR1);
  thread_.join();
}

void SignalWatcher::setHandler(std::function<void()> onSignal) {
  const std::lock_guard lock(mutex_);
  onSignal_ = std::move(onSignal);
}

void SignalWatcher::unblockInChild() {
  const sigset_t set = watchedSet();
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

}  // namespace im::cli
