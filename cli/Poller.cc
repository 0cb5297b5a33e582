// SPDX-License-Identifier: MIT
// Poller.cc - one poll, its messages and events, and the retry policy.
#include "cli/Poller.h"

#include <Poco/JSON/Array.h>

#include <chrono>
#include <random>

namespace im::cli {

Poller::Poller(HttpApi& api, StateFile& state, PollerSink sink, int pollTimeoutS)
    : api_(api),
      state_(state),
      sink_(std::move(sink)),
      pollTimeoutS_(pollTimeoutS),
      backoff_(std::chrono::milliseconds(500), std::chrono::seconds(30), std::random_device{}()) {}

Poller::~Poller() { stop(); }

void Poller::start() {
  thread_ = std::thread([this] { run(); });
}

void Poller::run() {
  while (!stopping_.load() && pollOnce()) {
  }
  {
    const std::lock_guard lock(mutex_);
    done_.store(true);
  }
  wake_.notify_all();
}

void Poller::requestStop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_.store(true);
  }
  wake_.notify_all();
  api_.interrupt();
}

void Poller::stop() {
  requestStop();
  if (!thread_.joinable()) return;
  interruptUntilDone();
  thread_.join();
}

void Poller::stopRun() {
  requestStop();
  interruptUntilDone();
}

// The loop may have been between its stop check and connecting when interrupted: interrupt
// again until it has left, rather than wait out a whole held poll.
void Poller::interruptUntilDone() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(50), [this] { return done_.load(); })) {
    lock.unlock();
    api_.interrupt();
    lock.lock();
  }
}

bool Poller::pollOnce() {
  const uint64_t since = state_.current().cursor;
  JsonPtr answer;
  try {
    answer = api_.poll(since, pollTimeoutS_);
  } catch (const ApiFailure& e) {
    if (stopping_.load()) return false;
    if (e.status() == 401) {
      sink_.onFatal(e);
      return false;
    }
    if (e.status() == 400 && since > 0) {
      // A cursor above the mailbox: another server or a reset database. Start over.
      sink_.onStatus("the server does not know cursor " + std::to_string(since) + " (" + e.what() +
                     "); reading the mailbox from the start");
      state_.setCursor(0);
      return true;
    }
    if (!reconnecting_) sink_.onStatus("reconnecting... (" + std::string(e.what()) + ")");
    reconnecting_ = true;
    waitBackoff(e.retryAfterS());
    return true;
  }
  if (reconnecting_) sink_.onStatus("connected again");
  reconnecting_ = false;
  backoff_.reset();
  try {
    deliver(answer);
    // An empty answer with Retry-After: the server cannot hold polls now (no push node), so
    // it answered at once; asking again at once would spin.
    const auto messages = answer->getArray("messages");
    if (api_.lastRetryAfterS() > 0 && (messages.isNull() || messages->size() == 0)) waitBackoff(api_.lastRetryAfterS());
  } catch (const std::exception& e) {  // Poco::Exception included
    // Not an answer of API.md's shape: keep the cursor where it is and ask again later.
    sink_.onStatus(std::string("an unreadable poll answer (") + e.what() + "); retrying");
    waitBackoff(0);
  }
  return true;
}

void Poller::deliver(const JsonPtr& answer) {
  const auto messages = answer->getArray("messages");
  for (size_t i = 0; messages && i < messages->size(); ++i) {
    const ChatMessage m = parseChatMessage(messages->getObject(static_cast<unsigned>(i)));
    sink_.onMessage(m);
    if (m.seq > 0) state_.setCursor(m.seq);  // consecutive from since+1: each seq is a valid cursor
  }
  state_.setCursor(answer->getValue<uint64_t>("next"));
  const auto events = answer->getArray("events");
  for (size_t i = 0; events && i < events->size(); ++i) sink_.onEvent(events->getObject(static_cast<unsigned>(i)));
}

void Poller::waitBackoff(int retryAfterS) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, backoff_.next(retryAfterS), [this] { return stopping_.load(); });
}

}  // namespace im::cli
