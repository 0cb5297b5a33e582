// SPDX-License-Identifier: MIT
// PollRegistry.h - the held long polls of this node, by uid; the only owner of HeldPoll.
//
// Flow: PollServer parses GET /hold and calls hold(). hold() first answers an older poll of the
// same device session (replacement), then looks in the early buffer (a notification may have
// beaten the poll: invariant 3), else registers the poll with one timer. notify() (a batch from
// RedisInbox) buffers every (uid, seq) and re-checks the held polls of those uids. tick() expires
// timers. Every end of a poll goes through answer(): notification, timeout, gap timeout,
// replacement, client close, shutdown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/Clock.h"
#include "common/Notification.h"
#include "pushd/EarlyNotifications.h"
#include "pushd/HeldPoll.h"
#include "pushd/HoldRequest.h"
#include "pushd/PollResponder.h"
#include "pushd/Stats.h"
#include "pushd/TimingWheel.h"
#include "pushd/net/EventLoop.h"

namespace im::pushd {

struct PollRegistryOptions {
  int64_t gapWaitMs = 200;
  size_t maxHeld = 100000;
};

class PollRegistry {
 public:
  // How answer() ends a poll.
  enum class Reply {
    Consecutive,  // what the early buffer holds consecutively from since + 1 (maybe nothing)
    Empty,        // {"messages":[],"next":since}: replaced, shutdown
    Close,        // the client is gone: close without writing
  };

  PollRegistry(net::EventLoop& loop, const common::Clock& clock, TimingWheel& wheel, EarlyNotifications& early,
               PollResponder& responder, Stats& stats, PollRegistryOptions options);
  PollRegistry(const PollRegistry&) = delete;
  PollRegistry& operator=(const PollRegistry&) = delete;

  // Loop thread. Holds `request` for `connection`, or answers it at once (early entries, full
  // node, timeout 0). Returns the poll's id, or 0 when it was answered already.
  PollId hold(const HoldRequest& request, net::ConnectionId connection);
  // Loop thread. Buffers the batch and answers every held poll it completes. `poppedUs` is
  // when RedisInbox read it from Redis (Stats::nowUs).
  void notify(const std::vector<common::Notification>& batch, int64_t poppedUs);
  // Loop thread. Advances the wheel (answering expired polls) and the early buffer's window.
  void tick();
  // Loop thread. Ends poll `id` as `reply` says: unregisters, cancels its timer, responds.
  // A poll already gone is ignored.
  void answer(PollId id, Reply reply, int64_t poppedUs = 0);
  // Loop thread. Answers every held poll empty (shutdown).
  void answerAll();

  // Loop thread.
  size_t size() const;

 private:
  void recheck(PollId id, int64_t poppedUs);
  void armGapTimer(PollId id, HeldPoll& poll);
  bool answerAtOnce(const HoldRequest& request, net::ConnectionId connection);
  void unregister(PollId id, const HeldPoll& poll);

  net::EventLoop& loop_;
  const common::Clock& clock_;
  TimingWheel& wheel_;
  EarlyNotifications& early_;
  PollResponder& responder_;
  Stats& stats_;
  const PollRegistryOptions options_;
  PollId nextId_ = 1;
  std::unordered_map<PollId, HeldPoll> polls_;
  std::unordered_map<uint64_t, std::vector<PollId>> byUid_;  // all devices of a user
  std::unordered_map<std::string, PollId> bySession_;        // HeldPoll::sessionKey -> id
  std::vector<uint64_t> due_;                                 // reused by tick()
  std::vector<PollId> ids_;                                   // reused by notify(): no allocation per uid
};

}  // namespace im::pushd
