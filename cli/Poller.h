// SPDX-License-Identifier: MIT
// Poller.h - the mailbox loop: GET /im/poll with the last `next`, each message handed to the
// sink, and only then the cursor saved, so a restart neither loses nor repeats a message.
// Network errors retry with back-off, reported once ("reconnecting...") and once when back.
// Flow: start() runs the loop on its own thread (or run() on the caller's) -> stop().
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <Poco/JSON/Object.h>

#include "cli/ApiFailure.h"
#include "cli/Backoff.h"
#include "cli/ChatMessage.h"
#include "cli/HttpApi.h"
#include "cli/StateFile.h"

namespace im::cli {

struct PollerSink {
  // Returns once the message is shown (printed, hook run): the cursor moves past it next.
  std::function<void(const ChatMessage&)> onMessage;
  std::function<void(const Poco::JSON::Object::Ptr& event)> onEvent;
  std::function<void(const std::string& status)> onStatus;  // "reconnecting..." and the like
  std::function<void(const ApiFailure&)> onFatal;          // 401: the session is gone; the loop ends
};

class Poller {
 public:
  // `api` is this loop's own connection (a long poll holds it).
  Poller(HttpApi& api, StateFile& state, PollerSink sink, int pollTimeoutS = 30);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void start();  // the loop on a thread of its own
  void run();    // the loop on the calling thread, until stopRun()
  // Any thread but the loop's: ends the loop (interrupting a held poll) and joins its thread.
  void stop();
  // Any thread but the loop's, for a loop that run() runs (or is about to run): ends it and
  // returns once run() has left, interrupting as stop() does.
  void stopRun();
  // Any thread: asks the loop to end without waiting for it.
  void requestStop();

 private:
  bool pollOnce();  // false: the loop must end
  void interruptUntilDone();
  void deliver(const JsonPtr& answer);  // messages (cursor saved after each), then events
  void waitBackoff(int retryAfterS);

  HttpApi& api_;
  StateFile& state_;
  PollerSink sink_;
  int pollTimeoutS_;
  Backoff backoff_;
  bool reconnecting_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> done_{false};  // run() has returned
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace im::cli
