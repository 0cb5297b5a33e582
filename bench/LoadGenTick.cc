// SPDX-License-Identifier: MIT
// LoadGenTick.cc - what LoadGen does on each 1 ms tick: connect pacing, retries, and the send
// phase of each mode (latency, closed, capacity, fan-out rounds).
#include "bench/LoadGen.h"

#include <unistd.h>

#include <algorithm>

#include "bench/Coordinator.h"

namespace im::bench {
namespace {

constexpr int64_t kRoundTimeoutUs = 5'000'000;

}  // namespace

// A round times one send -> every held member's answer, as tests/integration/FanoutTest does. The
// members' next polls pass through fcgi again (~0.3-0.6 s for 1,000 at a few thousand polls/s);
// a send before pushd holds them all timed that backlog, not the fan-out (655 ms median, first
// version). Checked every 10 ms; the wait is reported as counter fanout_rehold_ms.
bool LoadGen::everyMemberHeld(int64_t now) {
  if (roundHeld_ || config_.heldUrls.empty()) return true;
  if (now < nextHeldCheckUs_) return false;
  nextHeldCheckUs_ = now + 10'000;
  uint64_t held = 0;
  for (const auto& url : config_.heldUrls) {
    const std::string body = httpGet(url);
    size_t pos = body.find(config_.heldKey);
    if (pos == std::string::npos) continue;
    while (pos < body.size() && (body[pos] < '0' || body[pos] > '9')) ++pos;
    held += std::strtoull(body.c_str() + pos, nullptr, 10);
  }
  if (held < config_.pollers.size() && now - roundEndedUs_ < kRoundTimeoutUs) return false;
  if (roundEndedUs_ != 0) result_.counters["fanout_rehold_ms"] += static_cast<uint64_t>((now - roundEndedUs_) / 1000);
  roundHeld_ = true;
  return true;
}

void LoadGen::onTick() {
  uint64_t expirations = 0;
  [[maybe_unused]] const ssize_t r = ::read(timer_.get(), &expirations, sizeof expirations);
  const int64_t now = nowUs();
  tickConnects(now);
  tickRetries(now);
  if (!started_) return;
  const double elapsedS = static_cast<double>(now - phaseStartUs_) / 1e6;
  switch (config_.mode) {
    case Mode::Hold: break;
    case Mode::Latency: tickLatency(now, elapsedS); break;
    case Mode::Closed: tickClosed(elapsedS); break;
    case Mode::Capacity: tickCapacity(now, elapsedS); break;
    case Mode::Fanout: tickFanout(now); break;
  }
}

// New poll connections at connectRate, the credit capped so a pause does not become a burst.
void LoadGen::tickConnects(int64_t now) {
  connectCredit_ += config_.connectRate * static_cast<double>(now - lastTickUs_) / 1e6;
  lastTickUs_ = now;
  while (connectCredit_ >= 1 && !toConnect_.empty()) {
    connectCredit_ -= 1;
    const size_t index = toConnect_.front();
    toConnect_.pop_front();
    openConn(index);
  }
  if (toConnect_.empty()) connectCredit_ = std::min(connectCredit_, 1.0);
}

void LoadGen::tickRetries(int64_t now) {
  while (!retry_.empty() && retry_.top().first <= now) {
    const auto [at, index] = retry_.top();
    retry_.pop();
    Conn& c = conns_[index];
    if (at != c.retryAtUs) continue;  // superseded by a later failure
    c.retryAtUs = 0;
    if (!c.fd.valid()) toConnect_.push_back(index);  // reconnect, paced like the first connect
    else if (c.role == Role::Poll && c.connected && !c.busy) issuePoll(index);
  }
}

void LoadGen::tickLatency(int64_t now, double elapsedS) {
  if (elapsedS < config_.durationS) {
    sendsDue_ = static_cast<uint64_t>(config_.sendRate * elapsedS);
    while (sendsWritten_ < sendsDue_ && !idleSenders_.empty()) {
      const size_t index = idleSenders_.back();
      idleSenders_.pop_back();
      if (conns_[index].fd.valid() && !conns_[index].busy) issueSend(index, nowUs());
    }
    result_.sendPhaseS = elapsedS;
  } else if (now - phaseStartUs_ > static_cast<int64_t>((config_.durationS + config_.drainS) * 1e6)) {
    stop_ = true;
  }
}

void LoadGen::tickClosed(double elapsedS) {
  result_.sendPhaseS = elapsedS;
  if (elapsedS >= config_.durationS) stop_ = true;
}

void LoadGen::tickCapacity(int64_t now, double elapsedS) {
  result_.sendPhaseS = elapsedS;
  if (!capacity_->tick(now)) {
    stop_ = true;
    return;
  }
  while (capacity_->sendDue(now) && !idleSenders_.empty()) {
    const size_t index = idleSenders_.back();
    idleSenders_.pop_back();
    if (!conns_[index].fd.valid() || conns_[index].busy) continue;
    issueSend(index, capacity_->scheduledUs());
    capacity_->onWritten();
  }
}

void LoadGen::tickFanout(int64_t now) {
  const bool roundOpen = roundTs_ != 0;
  if (roundOpen && (roundArrivalsUs_.size() >= config_.pollers.size() || now - roundTs_ > kRoundTimeoutUs)) {
    endFanoutRound(now);
  }
  if (roundTs_ == 0 && roundsDone_ >= config_.rounds) stop_ = true;
  if (roundTs_ == 0 && !stop_ && now >= nextRoundUs_ && !idleSenders_.empty() && everyMemberHeld(now)) {
    const size_t index = idleSenders_.back();
    idleSenders_.pop_back();
    issueSend(index, nowUs());
  }
}

void LoadGen::endFanoutRound(int64_t now) {
  if (!roundArrivalsUs_.empty() && roundArrivalsUs_.size() >= config_.pollers.size()) {
    // In arrival order: one process reads them all.
    const int64_t lastUs = roundTs_ + roundArrivalsUs_.back();
    result_.fanout.add(roundArrivalsUs_.back());
    // Every member answered before the send's own answer was read: 0.
    const int64_t answered = roundAnsweredUs_ != 0 ? roundAnsweredUs_ : lastUs;
    result_.fanoutAfterAnswer.add(std::max<int64_t>(0, lastUs - answered));
    result_.fanoutFirst.add(roundArrivalsUs_.front());
    result_.fanoutMedian.add(roundArrivalsUs_[roundArrivalsUs_.size() / 2]);
  } else {
    ++result_.counters["fanout_timeouts"];
  }
  roundTs_ = 0;
  roundAnsweredUs_ = 0;
  roundArrivalsUs_.clear();
  ++roundsDone_;
  nextRoundUs_ = now + 100'000;
  roundEndedUs_ = now;
  roundHeld_ = false;
}

}  // namespace im::bench
