// SPDX-License-Identifier: MIT
// CapacitySteps.cc - one step at a time: send for stepS at the step's rate, drain for drainS with
// no sends (stragglers of this step arrive), judge, go on or stop.
#include "bench/CapacitySteps.h"

#include <cmath>
#include <algorithm>
#include <sstream>

namespace im::bench {

CapacitySteps::CapacitySteps(std::vector<double> rates, double stepS, double drainS)
    : rates_(std::move(rates)),
      stepUs_(static_cast<int64_t>(stepS * 1e6)),
      drainUs_(static_cast<int64_t>(drainS * 1e6)) {}

void CapacitySteps::start(int64_t nowUs) {
  if (rates_.empty()) phase_ = Phase::Done;
  else beginStep(0, nowUs);
}

void CapacitySteps::beginStep(size_t index, int64_t nowUs) {
  index_ = index;
  stepStartUs_ = nowUs;
  written_ = 0;
  delivered_ = 0;
  samples_ = Samples();
  phase_ = Phase::Sending;
}

uint64_t CapacitySteps::stepTotal() const {
  return static_cast<uint64_t>(std::llround(rates_[index_] * static_cast<double>(stepUs_) / 1e6));
}

// A step's last sends are due in its last tick; when every sender connection was busy then, they
// are written late (their latency still counts from the scheduled instant) rather than never,
// until the drain ends: a step's "never written" sends are the stack's backlog, not the tick's.
bool CapacitySteps::tick(int64_t nowUs) {
  const int64_t inStep = nowUs - stepStartUs_;
  if (phase_ == Phase::Sending && inStep >= stepUs_ && (written_ >= stepTotal() || inStep >= stepUs_ + drainUs_)) {
    phase_ = Phase::Draining;
  }
  if (phase_ == Phase::Draining && nowUs - stepStartUs_ >= stepUs_ + drainUs_) {
    judge();
    if (!done_.back().pass || index_ + 1 >= rates_.size()) phase_ = Phase::Done;
    else beginStep(index_ + 1, nowUs);
  }
  return phase_ != Phase::Done;
}

bool CapacitySteps::sendDue(int64_t nowUs) const {
  return phase_ == Phase::Sending && written_ < stepTotal() && scheduledUs() <= nowUs;
}

int64_t CapacitySteps::scheduledUs() const {
  return stepStartUs_ + static_cast<int64_t>(static_cast<double>(written_) * 1e6 / rates_[index_]);
}

void CapacitySteps::onDelivery(int64_t sentUs, int64_t nowUs) {
  const bool open = phase_ == Phase::Sending || phase_ == Phase::Draining;
  if (!open || sentUs < stepStartUs_ || sentUs >= stepStartUs_ + stepUs_) {
    ++late_;
    return;
  }
  ++delivered_;
  samples_.add(nowUs - sentUs);
}

void CapacitySteps::judge() {
  CapacityStep s;
  s.offeredPerS = rates_[index_];
  s.due = stepTotal();
  s.written = written_;
  s.delivered = std::min(delivered_, s.due);
  s.p50Us = samples_.percentileOf(0.50, s.due);
  s.p99Us = samples_.percentileOf(0.99, s.due);
  s.pass = static_cast<double>(s.delivered) >= kPassFraction * static_cast<double>(s.due) && s.p99Us >= 0 &&
           s.p99Us < kP99LimitUs;
  done_.push_back(s);
}

std::string CapacitySteps::serialize(const CapacityStep& s) {
  std::ostringstream out;
  out << s.offeredPerS << ' ' << s.due << ' ' << s.written << ' ' << s.delivered << ' ' << s.p50Us << ' ' << s.p99Us
      << ' ' << (s.pass ? 1 : 0);
  return out.str();
}

CapacityStep CapacitySteps::parse(const std::string& line) {
  CapacityStep s;
  int pass = 0;
  std::istringstream in(line);
  in >> s.offeredPerS >> s.due >> s.written >> s.delivered >> s.p50Us >> s.p99Us >> pass;
  s.pass = pass == 1;
  return s;
}

}  // namespace im::bench
