// SPDX-License-Identifier: MIT
// FakeClock.h - a Clock the pushd tests advance by hand (STYLE guideline 12).
#pragma once

#include <cstdint>

#include "common/Clock.h"

namespace im::pushd::test {

class FakeClock final : public common::Clock {
 public:
  int64_t steadyMs() const override { return steadyMs_; }
  int64_t wallMs() const override { return 1'800'000'000'000 + steadyMs_; }
  void advance(int64_t ms) { steadyMs_ += ms; }

 private:
  int64_t steadyMs_ = 1000;
};

}  // namespace im::pushd::test
