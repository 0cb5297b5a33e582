// SPDX-License-Identifier: MIT
// PollRegistry.cc - hold, notify, expire and the single answer path.
#include "pushd/PollRegistry.h"

#include <algorithm>

#include "common/Log.h"
#include "common/ScopedRequestId.h"
#include "pushd/BufferedAnswer.h"
#include "pushd/GapFilter.h"

namespace im::pushd {

PollRegistry::PollRegistry(net::EventLoop& loop, const common::Clock& clock, TimingWheel& wheel, EarlyNotifications& early,
                           PollResponder& responder, Stats& stats, PollRegistryOptions options)
    : loop_(loop),
      clock_(clock),
      wheel_(wheel),
      early_(early),
      responder_(responder),
      stats_(stats),
      options_(options),
      pending_(options.eventWindowMs) {}

size_t PollRegistry::size() const {
  loop_.assertInLoopThread();
  return polls_.size();
}

PollId PollRegistry::hold(const common::HoldRequest& request, net::ConnectionId connection) {
  loop_.assertInLoopThread();
  std::string sessionKey = std::to_string(request.uid) + "/" + request.session;
  if (const auto old = bySession_.find(sessionKey); old != bySession_.end()) {
    // One outstanding poll per device: the older one is answered empty so its client moves on.
    answer(old->second, Reply::Empty);
  }
  if (answerAtOnce(request, connection)) return 0;

  const PollId id = nextId_++;
  HeldPoll poll;
  poll.uid = request.uid;
  poll.since = request.since;
  poll.sessionKey = std::move(sessionKey);
  poll.connection = connection;
  poll.limit = request.limit;
  poll.req = request.req;
  poll.deadlineMs = clock_.steadyMs() + int64_t{request.timeoutS} * 1000;
  poll.timer = wheel_.add(int64_t{request.timeoutS} * 1000, id);
  const GapRun run = GapFilter::select(request.since, request.limit, early_.find(request.uid));
  bySession_.emplace(poll.sessionKey, id);
  byUid_[poll.uid].push_back(id);
  auto& held = polls_.emplace(id, std::move(poll)).first->second;
  if (run.gap) armGapTimer(id, held);
  if (common::logEnabled(common::LogLevel::Debug)) {
    const common::ScopedRequestId scope(held.req);
    IM_DEBUG("poll", "held uid=" + std::to_string(held.uid) + " since=" + std::to_string(held.since) +
                         " timeout_s=" + std::to_string(request.timeoutS));
  }
  return id;
}

// True when the poll was answered without being held: it completes a run of the early buffer,
// or events are pending for its uid, or it cannot be held.
bool PollRegistry::answerAtOnce(const common::HoldRequest& request, net::ConnectionId connection) {
  const SeqBuffer* buffered = early_.find(request.uid);
  const GapRun run = GapFilter::select(request.since, request.limit, buffered);
  EventList events;
  pending_.take(request.uid, events);
  if (!run.empty() || !events.empty()) {
    if (!run.empty()) {
      stats_.countEarly();
      stats_.countDelivery();
    }
    if (!events.empty()) stats_.countEventAnswer();
    responder_.respond(connection, BufferedAnswer::render(request.since, run, buffered, events), 0);
    return true;
  }
  if (request.timeoutS == 0 || polls_.size() >= options_.maxHeld) {
    responder_.respond(connection, BufferedAnswer::empty(request.since), 0);
    return true;
  }
  return false;
}

// Messages go to the early buffer, events are gathered by uid; then each uid is woken once.
void PollRegistry::notify(const std::vector<common::Notification>& batch, int64_t poppedUs) {
  loop_.assertInLoopThread();
  const int64_t now = clock_.steadyMs();
  std::vector<uint64_t> uids;
  for (const auto& n : batch) {
    const auto text = std::make_shared<const std::string>(n.payload);  // shared by all recipients
    const bool event = n.kind == common::Notification::Kind::Event;
    for (const auto& r : n.recipients) {
      if (event) batchEvents_[r.uid].push_back(text);
      else early_.add(r.uid, r.seq, text, now);
      uids.push_back(r.uid);
    }
  }
  stats_.countNotifications(batch.size());
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  for (const uint64_t uid : uids) wake(uid, poppedUs, now);
  batchEvents_.clear();
}

// An event answers every held poll of `uid` at once (what is consecutive, maybe nothing, and
// the events); with no held poll it waits for the uid's next one. Messages alone re-check.
void PollRegistry::wake(uint64_t uid, int64_t poppedUs, int64_t nowMs) {
  const auto events = batchEvents_.find(uid);
  const auto held = byUid_.find(uid);
  if (held == byUid_.end()) {
    if (events != batchEvents_.end()) {
      for (const auto& e : events->second) pending_.add(uid, e, nowMs);
    }
    return;
  }
  ids_.assign(held->second.begin(), held->second.end());  // a copy: answers edit the index
  for (const PollId id : ids_) {
    if (events != batchEvents_.end()) answer(id, Reply::Consecutive, poppedUs, &events->second);
    else recheck(id, poppedUs);
  }
}

void PollRegistry::recheck(PollId id, int64_t poppedUs) {
  const auto it = polls_.find(id);
  if (it == polls_.end()) return;
  HeldPoll& poll = it->second;
  const GapRun run = GapFilter::select(poll.since, poll.limit, early_.find(poll.uid));
  if (!run.empty()) {
    answer(id, Reply::Consecutive, poppedUs);
  } else if (run.gap && !poll.gapArmed) {
    armGapTimer(id, poll);
  }
}

// Two senders may notify seqs out of order: wait briefly for the missing one. When the timer
// fires, answer() sends what is consecutive by then, possibly nothing: the client re-polls at
// once and fcgi's catch-up reads the missing seq from MySQL, where it is already committed.
void PollRegistry::armGapTimer(PollId id, HeldPoll& poll) {
  const int64_t remaining = std::max<int64_t>(poll.deadlineMs - clock_.steadyMs(), 0);
  if (remaining <= options_.gapWaitMs) return;  // the poll's own timeout comes first anyway
  wheel_.cancel(poll.timer);
  poll.timer = wheel_.add(options_.gapWaitMs, id);
  poll.gapArmed = true;
}

void PollRegistry::tick() {
  loop_.assertInLoopThread();
  due_.clear();
  wheel_.advance(due_);
  for (const uint64_t id : due_) {
    const auto it = polls_.find(id);
    if (it != polls_.end()) logExpiry(it->second);
    answer(id, Reply::Consecutive);
  }
  const int64_t now = clock_.steadyMs();
  early_.expire(now);
  pending_.expire(now);
}

// A gap answer (a missing seq did not come within gap_wait_ms) is worth a line: the client
// re-polls and catches up from MySQL. A plain timeout is routine: debug only.
void PollRegistry::logExpiry(const HeldPoll& poll) {
  const common::ScopedRequestId scope(poll.req);
  if (poll.gapArmed) {
    stats_.countGapWait();
    IM_INFO("poll", "gap answer: a missing seq did not come within gap_wait_ms, uid=" + std::to_string(poll.uid) +
                        " since=" + std::to_string(poll.since));
  } else {
    stats_.countTimeout();
    IM_DEBUG("poll", "timed out uid=" + std::to_string(poll.uid) + " since=" + std::to_string(poll.since));
  }
}

void PollRegistry::answer(PollId id, Reply reply, int64_t poppedUs, const EventList* events) {
  loop_.assertInLoopThread();
  const auto it = polls_.find(id);
  if (it == polls_.end()) return;  // answered already: late timer, duplicate notification
  const HeldPoll poll = std::move(it->second);
  polls_.erase(it);
  unregister(id, poll);
  wheel_.cancel(poll.timer);
  // Lines logged on the way out (PollServer's write errors too) name the poll's request.
  const common::ScopedRequestId scope(poll.req);
  if (reply == Reply::Close) {
    IM_DEBUG("poll", "client went away uid=" + std::to_string(poll.uid));
    responder_.close(poll.connection);
    return;
  }
  std::string body;
  if (reply == Reply::Consecutive) {
    const SeqBuffer* buffered = early_.find(poll.uid);
    const GapRun run = GapFilter::select(poll.since, poll.limit, buffered);
    if (!run.empty()) stats_.countDelivery();
    if (events && !events->empty()) stats_.countEventAnswer();
    body = BufferedAnswer::render(poll.since, run, buffered, events ? *events : EventList{});
  } else {
    body = BufferedAnswer::empty(poll.since);
  }
  responder_.respond(poll.connection, std::move(body), poppedUs);
}

void PollRegistry::unregister(PollId id, const HeldPoll& poll) {
  bySession_.erase(poll.sessionKey);
  const auto u = byUid_.find(poll.uid);
  if (u == byUid_.end()) return;
  auto& ids = u->second;
  const auto pos = std::find(ids.begin(), ids.end(), id);
  if (pos != ids.end()) {
    *pos = ids.back();
    ids.pop_back();
  }
  if (ids.empty()) byUid_.erase(u);
}

void PollRegistry::answerAll() {
  loop_.assertInLoopThread();
  std::vector<PollId> ids;
  ids.reserve(polls_.size());
  for (const auto& [id, poll] : polls_) ids.push_back(id);
  for (const PollId id : ids) answer(id, Reply::Empty);
}

}  // namespace im::pushd
