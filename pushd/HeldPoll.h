// SPDX-License-Identifier: MIT
// HeldPoll.h - one held long poll: what it asked for, where to answer, its one timer.
// A small fixed size (the session id fits the string's inline buffer in practice); PollRegistry
// is its only owner, everything else refers to it by PollId (STYLE guideline 8).
#pragma once

#include <cstdint>
#include <string>

#include "pushd/TimingWheel.h"
#include "pushd/net/Connection.h"

namespace im::pushd {

using PollId = uint64_t;        // never reused; 0 = none

struct HeldPoll {
  uint64_t uid = 0;
  uint64_t since = 0;
  std::string sessionKey;  // "<uid>/<session>": one outstanding poll per device session
  net::ConnectionId connection = 0;
  TimingWheel::TimerId timer = TimingWheel::kNoTimer;
  int64_t deadlineMs = 0;  // the poll's own timeout, steady clock
  uint32_t limit = 0;
  bool gapArmed = false;   // the timer was pulled in to gap_wait_ms for a missing seq
  // nginx's $request_id of the poll (HoldRequest::req), for pushd's lines about it. Cost: the
  // string's 32 bytes here, plus for nginx's 32 hex digits (past the 15-byte inline buffer) a
  // 33-byte allocation, a 48-byte malloc chunk: ~80 B per held poll, ~252 -> ~332 B in all,
  // well inside the 1 KiB/poll budget (docs/internals.md).
  std::string req;
};

}  // namespace im::pushd
