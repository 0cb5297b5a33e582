// SPDX-License-Identifier: MIT
// HoldRequest.h - the poll hand-over from fcgi to pushd (docs/internals.md "The poll hand-over"):
// GET /hold?uid=U&session=S&since=N&timeout=T&limit=L[&req=R]. Encode (fcgi) and decode (pushd) in one
// place, with one set of limits, those of API.md's poll. Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/Protocol.h"

namespace im::common {

struct HoldRequest {
  // pushd's route; fcgi prefixes it with nginx's internal location and the node.
  static constexpr std::string_view kPath = "/hold";
  static constexpr uint32_t kDefaultLimit = kDefaultPollLimit;
  static constexpr uint32_t kMaxLimit = kMaxPollLimit;
  // Defaults of API.md; the hand-over always carries both, the defaults serve hand-written calls.
  static constexpr uint32_t kDefaultTimeoutS = 30;
  // Above poll.max_timeout's default (60): an operator may raise that; pushd only refuses what
  // no configuration means, a timer an hour out.
  static constexpr uint32_t kMaxTimeoutS = 3600;
  static constexpr size_t kMaxSessionBytes = 128;

  uint64_t uid = 0;
  std::string session;  // 1-128 of [A-Za-z0-9._~-]: unreserved, so it travels unescaped
  uint64_t since = 0;
  uint32_t timeoutS = kDefaultTimeoutS;
  uint32_t limit = kDefaultLimit;
  // nginx's $request_id of the poll (common/Log's validRequestId), "" for none: pushd's lines
  // about the poll carry it as req=, so one id follows the poll through both processes.
  std::string req;

  // "uid=U&session=S&since=N&timeout=T&limit=L" and "&req=R" with a request id (the query,
  // without '?').
  std::string encode() const;
  // The reverse, validated: uid >= 1, since <= 2^64-1 - kMaxLimit (since + limit cannot
  // overflow), timeout <= kMaxTimeoutS, limit in 1..kMaxLimit, a valid session, a valid req when present (optional); unknown
  // parameters are ignored and the first of a repeated one wins. uid, session and since are
  // required. Values are taken as they are: every valid value is unreserved, so a '%' or '+' is
  // simply not valid. On nullopt, `error` holds a sentence for the 400 answer.
  static std::optional<HoldRequest> decode(std::string_view query, std::string& error);

  static bool validSession(std::string_view session);
  bool operator==(const HoldRequest&) const = default;
};

}  // namespace im::common
