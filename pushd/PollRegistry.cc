// SPDX-License-Identifier: MIT
// PollRegistry.cc - hold, notify, expire and the single answer path.
#include "pushd/PollRegistry.h"

#include <algorithm>

#include "common/Log.h"
#include "common/ScopedRequestId.h"
#include "pushd/BufferedAnswer.h"

namespace im::pushd {
namespace {

const EventList kNoEvents;

}  // namespace

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

std::string PollRegistry::stats() const {
  loop_.assertInLoopThread();
  return stats_.render(polls_.size(), early_.size());
}

PollId PollRegistry::hold(common::HoldRequest request, net::ConnectionId connection) {
  loop_.assertInLoopThread();
  HeldPoll poll;
  poll.uid = request.uid;
  poll.since = request.since;
  poll.sessionKey = std::to_string(request.uid) + "/" + request.session;
  poll.connection = connection;
  poll.limit = request.limit;
  poll.req = std::move(request.req);
  if (const auto old = bySession_.find(poll.sessionKey); old != bySession_.end()) {
    // One outstanding poll per device: the older one is answered empty so its client moves on.
    answerHeld(old->second, Reply::Empty, Cause{});
  }
  // The hold's one GapFilter pass: it decides an answer at once, else whether to wait out a gap.
  Cause cause{GapFilter::select(poll.since, poll.limit, early_.find(poll.uid))};
  EventList events;
  pending_.take(poll.uid, events);
  if (!cause.run->empty() || !events.empty()) {
    if (!cause.run->empty()) stats_.countEarly();
    cause.events = &events;
    answer(poll, Reply::Consecutive, cause);
    return 0;
  }
  if (request.timeoutS == 0 || polls_.size() >= options_.maxHeld) {
    answer(poll, Reply::Empty, cause);
    return 0;
  }
  return admit(std::move(poll), cause.run->gap, request.timeoutS);
}

// Registers `poll` with its one timer, pulled in to gap_wait_ms when it faces a gap.
PollId PollRegistry::admit(HeldPoll poll, bool gap, uint32_t timeoutS) {
  const PollId id = nextId_++;
  poll.deadlineMs = clock_.steadyMs() + int64_t{timeoutS} * 1000;
  poll.timer = wheel_.add(int64_t{timeoutS} * 1000, id);
  bySession_.emplace(poll.sessionKey, id);
  byUid_[poll.uid].push_back(id);
  auto& held = polls_.emplace(id, std::move(poll)).first->second;
  if (gap) armGapTimer(id, held);
  if (common::logEnabled(common::LogLevel::Debug)) {
    const common::ScopedRequestId scope(held.req);
    IM_DEBUG("poll", "held uid=" + std::to_string(held.uid) + " since=" + std::to_string(held.since) +
                         " timeout_s=" + std::to_string(timeoutS));
  }
  return id;
}

void PollRegistry::clientGone(PollId poll) { answer(poll, Reply::Close); }

// Messages go to the early buffer, events are gathered by uid; then each uid is woken once.
void PollRegistry::notify(const NotificationBatch& batch) {
  loop_.assertInLoopThread();
  const int64_t now = clock_.steadyMs();
  std::vector<uint64_t> uids;
  for (const auto& n : batch.notifications) {
    const auto text = std::make_shared<const std::string>(n.payload);  // shared by all recipients
    const bool event = n.kind == common::Notification::Kind::Event;
    for (const auto& r : n.recipients) {
      if (event) batchEvents_[r.uid].push_back(text);
      else early_.add(r.uid, r.seq, text, now);
      uids.push_back(r.uid);
    }
  }
  stats_.countNotifications(batch.notifications.size());
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  Cause cause;
  cause.pushStartUs = batch.readUs;
  for (const uint64_t uid : uids) wake(uid, cause, now);
  batchEvents_.clear();
}

// An event answers every held poll of `uid` at once (what is consecutive, maybe nothing, and
// the events); with no held poll it waits for the uid's next one. Messages alone re-check.
void PollRegistry::wake(uint64_t uid, const Cause& batch, int64_t nowMs) {
  const auto events = batchEvents_.find(uid);
  const auto held = byUid_.find(uid);
  if (held == byUid_.end()) {
    if (events != batchEvents_.end()) {
      for (const auto& e : events->second) pending_.add(uid, e, nowMs);
    }
    return;
  }
  ids_.assign(held->second.begin(), held->second.end());  // a copy: answers edit the index
  if (events == batchEvents_.end()) {
    for (const PollId id : ids_) recheck(id, batch);
    return;
  }
  Cause cause = batch;
  cause.events = &events->second;
  for (const PollId id : ids_) answerHeld(id, Reply::Consecutive, cause);
}

// Answers the poll when the batch completed a run for it (that run, selected once), else pulls
// its timer in when it now faces a gap.
void PollRegistry::recheck(PollId id, const Cause& batch) {
  const auto it = polls_.find(id);
  if (it == polls_.end()) return;
  HeldPoll& poll = it->second;
  const GapRun run = GapFilter::select(poll.since, poll.limit, early_.find(poll.uid));
  if (!run.empty()) {
    Cause cause = batch;
    cause.run = run;
    answer(release(it), Reply::Consecutive, cause);
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
    if (it == polls_.end()) continue;  // answered already: a timer cancelled too late
    logExpiry(it->second);
    answer(release(it), Reply::Consecutive, Cause{});
  }
  const int64_t now = clock_.steadyMs();
  early_.expire(now);
  pending_.expire(now);
}

net::NextDue PollRegistry::nextDueMs() const {
  loop_.assertInLoopThread();
  net::NextDue due = wheel_.nextDueMs();
  for (const net::NextDue expiry : {early_.nextExpiryMs(), pending_.nextExpiryMs()}) {
    if (expiry) due = net::earliest(due, wheel_.tickAtOrAfter(*expiry));
  }
  return due;
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

void PollRegistry::answer(PollId id, Reply reply) {
  loop_.assertInLoopThread();
  answerHeld(id, reply, Cause{});
}

void PollRegistry::answerHeld(PollId id, Reply reply, const Cause& cause) {
  const auto it = polls_.find(id);
  if (it == polls_.end()) return;  // answered already: duplicate notification, client gone twice
  answer(release(it), reply, cause);
}

// The one end of every poll, held (released first) or answered at once by hold().
void PollRegistry::answer(const HeldPoll& poll, Reply reply, const Cause& cause) {
  // Lines logged on the way out (PollServer's write errors too) name the poll's request.
  const common::ScopedRequestId scope(poll.req);
  if (reply == Reply::Close) {
    IM_DEBUG("poll", "client went away uid=" + std::to_string(poll.uid));
    return responder_.close(poll.connection);
  }
  Answer out;
  out.pushStartUs = cause.pushStartUs;
  if (reply == Reply::Consecutive) {
    const SeqBuffer* buffered = early_.find(poll.uid);
    const GapRun run = cause.run ? *cause.run : GapFilter::select(poll.since, poll.limit, buffered);
    const EventList& events = cause.events ? *cause.events : kNoEvents;
    if (!run.empty()) stats_.countDelivery();
    if (!events.empty()) stats_.countEventAnswer();
    out.body = BufferedAnswer::render(poll.since, run, buffered, events);
  } else {
    out.body = BufferedAnswer::empty(poll.since);
  }
  responder_.respond(poll.connection, std::move(out));
}

// Takes a held poll out of the indexes and the wheel, for answer().
HeldPoll PollRegistry::release(Polls::iterator it) {
  const PollId id = it->first;
  HeldPoll poll = std::move(it->second);
  polls_.erase(it);
  bySession_.erase(poll.sessionKey);
  wheel_.cancel(poll.timer);
  const auto u = byUid_.find(poll.uid);
  if (u == byUid_.end()) return poll;
  auto& ids = u->second;
  const auto pos = std::find(ids.begin(), ids.end(), id);
  if (pos != ids.end()) {
    *pos = ids.back();
    ids.pop_back();
  }
  if (ids.empty()) byUid_.erase(u);
  return poll;
}

void PollRegistry::answerAll() {
  loop_.assertInLoopThread();
  std::vector<PollId> ids;
  ids.reserve(polls_.size());
  for (const auto& [id, poll] : polls_) ids.push_back(id);
  for (const PollId id : ids) answerHeld(id, Reply::Empty, Cause{});
}

}  // namespace im::pushd
