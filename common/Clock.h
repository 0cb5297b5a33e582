// SPDX-License-Identifier: MIT
// Clock.h - injectable time: components that expire things take a Clock&, tests pass a fake.
#pragma once

#include <chrono>
#include <cstdint>

namespace im::common {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds on a steady (monotonic) clock: for timeouts and windows.
  virtual int64_t steadyMs() const = 0;
  // Milliseconds since the Unix epoch: for timestamps shown to users and stored.
  virtual int64_t wallMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t steadyMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  int64_t wallMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace im::common
