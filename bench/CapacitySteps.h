// SPDX-License-Identifier: MIT
// CapacitySteps.h - the capacity scenario's schedule and verdicts: offered rates stepped up
// (e.g. 500 .. 9,000 sends/s), each held for a fixed time, then a quiet drain, then judged; the
// run stops after the first step that fails. Sends are timed from their scheduled instant, so a
// generator that falls behind shows up as latency instead of hiding it (coordinated omission).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/Samples.h"

namespace im::bench {

struct CapacityStep {
  double offeredPerS = 0;
  uint64_t due = 0;        // sends the schedule asked for
  uint64_t written = 0;    // sends actually written (fewer: every send connection was busy)
  uint64_t delivered = 0;  // of those, received by their recipient before the drain ended
  int64_t p50Us = 0;       // over `due`: an undelivered send counts as slower than any delivered
  int64_t p99Us = 0;       // -1: the rank falls on an undelivered send
  bool pass = false;
};

class CapacitySteps {
 public:
  static constexpr double kPassFraction = 0.95;   // delivered >= 95% of offered
  static constexpr int64_t kP99LimitUs = 100'000;  // and p99 < 100 ms

  CapacitySteps(std::vector<double> rates, double stepS, double drainS);

  void start(int64_t nowUs);
  // Ends, judges and starts steps as time passes; false once done (last step judged, or one failed).
  bool tick(int64_t nowUs);
  // While a step is sending: whether the send numbered written() is due, and when it was scheduled.
  bool sendDue(int64_t nowUs) const;
  int64_t scheduledUs() const;
  void onWritten() { ++written_; }
  // A delivery of a send scheduled at `sentUs`; counted for the step that scheduled it, if still open.
  void onDelivery(int64_t sentUs, int64_t nowUs);

  const std::vector<CapacityStep>& steps() const { return done_; }
  uint64_t late() const { return late_; }  // deliveries after their step was judged

  // One line per judged step, "rate due written delivered p50 p99 pass", and back.
  static std::string serialize(const CapacityStep& s);
  static CapacityStep parse(const std::string& line);

 private:
  enum class Phase : uint8_t { Idle, Sending, Draining, Done };
  void beginStep(size_t index, int64_t nowUs);
  void judge();
  uint64_t stepTotal() const;

  std::vector<double> rates_;
  int64_t stepUs_;
  int64_t drainUs_;
  Phase phase_ = Phase::Idle;
  size_t index_ = 0;
  int64_t stepStartUs_ = 0;
  uint64_t written_ = 0;
  uint64_t delivered_ = 0;
  uint64_t late_ = 0;
  Samples samples_;
  std::vector<CapacityStep> done_;
};

}  // namespace im::bench
