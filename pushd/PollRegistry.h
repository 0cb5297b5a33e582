// SPDX-License-Identifier: MIT
// PollRegistry.h - the held long polls of this node, by uid; the only owner of HeldPoll.
//
// Flow: PollServer parses GET /hold and calls hold() (PollHandler). hold() first answers an older
// poll of the same device session (replacement), then looks in the early buffer (a notification
// may have beaten the poll: invariant 3) and the pending events, else registers the poll with one
// timer. notify() (a batch from RedisInbox) buffers every (uid, seq) and re-checks the held polls
// of those uids; an event answers every held poll of its uids at once, with what is consecutive
// (possibly nothing: the gap rule holds), or waits in PendingEvents for the uid's next poll.
// tick() expires timers, when nextDueMs() says the loop should. Every end of a poll goes through
// answer(const HeldPoll&, ...): notification, event, timeout, gap timeout, replacement, client
// close, shutdown, and hold()'s answers at once (a poll never registered). GapFilter runs once per
// decision: hold() and the re-check of a notified poll hand the run they selected on to answer().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/Clock.h"
#include "common/HoldRequest.h"
#include "pushd/BufferedMessage.h"
#include "pushd/EarlyNotifications.h"
#include "pushd/GapFilter.h"
#include "pushd/HeldPoll.h"
#include "pushd/NotificationBatch.h"
#include "pushd/PendingEvents.h"
#include "pushd/PollHandler.h"
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

// Loop thread only. It reaches the sockets only through PollResponder, whose calls never come
// back into the registry (PollResponder.h): only the registry's own answers edit its indexes
// while it loops over held polls (hence wake()'s copy of a uid's ids).
class PollRegistry final : public PollHandler {
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

  // PollHandler. hold() answers at once (early entries, pending events, full node, timeout 0:
  // returns 0) or holds the poll (returns its id); clientGone() ends a poll as Reply::Close;
  // stats() is the /stats body.
  PollId hold(common::HoldRequest request, net::ConnectionId connection) override;
  void clientGone(PollId poll) override;
  std::string stats() const override;

  // Buffers the batch and answers every held poll it completes or carries an event for; those
  // answers carry the batch's read time (Answer::pushStartUs).
  void notify(const NotificationBatch& batch);
  // Advances the wheel (answering expired polls) and the early buffer's window.
  void tick();
  // When tick() next has work (clock ms): the wheel's earliest timer, or the next expiry of the
  // early buffer or the pending events, rounded up to the wheel's tick so that expiries share
  // the timers' wake-ups (at most one tick late, like a timer). nullopt: nothing pending.
  net::NextDue nextDueMs() const;
  // Ends held poll `id` as `reply` says (a Consecutive reply takes what is buffered now). A
  // poll already gone is ignored.
  void answer(PollId id, Reply reply);
  // Answers every held poll empty (shutdown).
  void answerAll();

  size_t size() const;
  size_t pendingEvents() const { return pending_.size(); }

 private:
  using Polls = std::unordered_map<PollId, HeldPoll>;
  // What an answer is made of beside the poll's own state (run and events: Consecutive only).
  struct Cause {
    std::optional<GapRun> run;          // the run, when the caller selected it already
    const EventList* events = nullptr;  // the events that woke the poll
    int64_t pushStartUs = 0;            // the waking batch's read (Answer::pushStartUs)
  };

  PollId admit(HeldPoll poll, bool gap, uint32_t timeoutS);
  void wake(uint64_t uid, const Cause& batch, int64_t nowMs);
  void recheck(PollId id, const Cause& batch);
  void armGapTimer(PollId id, HeldPoll& poll);
  void answerHeld(PollId id, Reply reply, const Cause& cause);
  void answer(const HeldPoll& poll, Reply reply, const Cause& cause);
  HeldPoll release(Polls::iterator it);
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
  Polls polls_;
  std::unordered_map<uint64_t, std::vector<PollId>> byUid_;  // all devices of a user
  std::unordered_map<std::string, PollId> bySession_;        // HeldPoll::sessionKey -> id
  std::vector<uint64_t> due_;                                 // reused by tick()
  std::vector<PollId> ids_;                                   // reused by notify(): no allocation per uid
  std::unordered_map<uint64_t, EventList> batchEvents_;       // notify(): the batch's events by uid
};

}  // namespace im::pushd
