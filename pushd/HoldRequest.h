// SPDX-License-Identifier: MIT
// HoldRequest.h - the parameters of the poll hand-over, GET /hold?uid&session&since&timeout&limit
// (docs/internals.md), validated. fcgi already checked them against API.md; we check again
// because a bad value here would break a held poll's invariants, not just one answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pushd/net/HttpRequestHead.h"

namespace im::pushd {

struct HoldRequest {
  static constexpr uint32_t kDefaultLimit = 100;
  static constexpr uint32_t kMaxLimit = 500;
  static constexpr uint32_t kDefaultTimeoutS = 30;
  static constexpr uint32_t kMaxTimeoutS = 3600;
  static constexpr size_t kMaxSessionBytes = 128;

  uint64_t uid = 0;
  std::string session;
  uint64_t since = 0;
  uint32_t timeoutS = kDefaultTimeoutS;
  uint32_t limit = kDefaultLimit;

  // uid, session and since are required; timeout and limit default as in API.md.
  // On nullopt, `error` holds a sentence for the 400 answer.
  static std::optional<HoldRequest> parse(const net::HttpRequestHead& head, std::string& error);
};

}  // namespace im::pushd
