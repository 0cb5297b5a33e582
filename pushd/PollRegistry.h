// SPDX-License-Identifier: MIT
// PollRegistry.h - the held long polls of this node, by uid; the only owner of HeldPoll.
//
// Flow: PollServer parses GET /hold and calls hold(). hold() first answers an older poll of the
// same device session (replacement), then looks in the early buffer (a notification may have
// beaten the poll: invariant 3) and the pending events, else registers the poll with one timer.
// notify() (a batch from RedisInbox) buffers every (uid, seq) and re-checks the held polls of
// those uids; an event answers every held poll of its uids at once, with what is consecutive
// (possibly nothing: the gap rule holds), or waits in PendingEvents for the uid's next poll.
// tick() expires timers. Every end of a poll goes through answer(): notification, event,
// timeout, gap timeout, replacement, client close, shutdown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/Clock.h"
#include "common/HoldRequest.h"
#include "common/Notification.h"
#include "pushd/BufferedMessage.h"
#include "pushd/EarlyNotifications.h"
#include "pushd/HeldPoll.h"
#include "pushd/PendingEvents.h"
#include "pushd/PollResponder.h"
#include "pushd/Stats.h"
#include "pushd/TimingWheel.h"
#include "pushd/net/EventLoop.h"

namespace im::pushd {

struct PollRegistryOptions {
  int64_t gapWaitMs = 200;
  size_t maxHeld = 100000;
  int64_t eventWindowMs = PendingEvents::kDefaultWindowMs;
};

class PollRegistry {
 public:
  // How answer() ends a poll.
  enum class Reply {
    Consecutive,  // what the early buffer holds consecutively from since + 1 (maybe nothing)
    Empty,        // {"messages":[],"events":[],"next":since}: replaced, shutdown
    Close,        // the client is gone: close without writing
  };

  PollRegistry(net::EventLoop& loop, const common::Clock& clock, TimingWheel& wheel, EarlyNotifications& early,
               PollResponder& responder, Stats& stats, PollRegistryOptions options);
  PollRegistry(const PollRegistry&) = delete;
  PollRegistry& operator=(const PollRegistry&) = delete;

  // Loop thread. Holds `request` for `connection`, or answers it at once (early entries, full
  // node, timeout 0). Returns the poll's id, or 0 when it was answered already.
  PollId hold(const common::HoldRequest& request, net::ConnectionId connection);
  // Loop thread. Buffers the batch and answers every held poll it completes or carries an
  // event for. `poppedUs` is when RedisInbox read it from Redis (Stats::nowUs).
  void notify(const std::vector<common::Notification>& batch, int64_t poppedUs);
  // Loop thread. Advances the wheel (answering expired polls) and the early buffer's window.
  void tick();
  // Loop thread. Ends poll `id` as `reply` says: unregisters, cancels its timer, responds
  // (a Consecutive reply with `events`, when given). A poll already gone is ignored.
  void answer(PollId id, Reply reply, int64_t poppedUs = 0, const EventList* events = nullptr);
  // Loop thread. Answers every held poll empty (shutdown).
  void answerAll();

  // Loop thread.
  size_t size() const;
  size_t pendingEvents() const { return pending_.size(); }

 private:
  void recheck(PollId id, int64_t poppedUs);
  void armGapTimer(PollId id, HeldPoll& poll);
  bool answerAtOnce(const common::HoldRequest& request, net::ConnectionId connection);
  void wake(uint64_t uid, int64_t poppedUs, int64_t nowMs);
  void unregister(PollId id, const HeldPoll& poll);
  void logExpiry(const HeldPoll& poll);

  net::EventLoop& loop_;
  const common::Clock& clock_;
  TimingWheel& wheel_;
  EarlyNotifications& early_;
  PollResponder& responder_;
  Stats& stats_;
  const PollRegistryOptions options_;
  PendingEvents pending_;
  PollId nextId_ = 1;
  std::unordered_map<PollId, HeldPoll> polls_;
  std::unordered_map<uint64_t, std::vector<PollId>> byUid_;  // all devices of a user
  std::unordered_map<std::string, PollId> bySession_;        // HeldPoll::sessionKey -> id
  std::vector<uint64_t> due_;                                 // reused by tick()
  std::vector<PollId> ids_;                                   // reused by notify(): no allocation per uid
  std::unordered_map<uint64_t, EventList> batchEvents_;       // notify(): the batch's events by uid
};

}  // namespace im::pushd
