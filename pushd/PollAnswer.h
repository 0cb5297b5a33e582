// SPDX-License-Identifier: MIT
// PollAnswer.h - renders the public poll answer {"messages":[...],"next":N} from buffered
// message texts, without parsing them (each gets "seq" inserted: common/Notification), in a
// buffer with room for the HTTP head in front (HttpResponse::wrap).
#pragma once

#include <cstdint>
#include <string>

#include "pushd/BufferedMessage.h"
#include "pushd/GapFilter.h"

namespace im::pushd {

class PollAnswer {
 public:
  // The messages of `run` taken from `buffered`; next = the run's last seq, or `since` if empty.
  static std::string render(uint64_t since, const GapRun& run, const SeqBuffer* buffered);
  // {"messages":[],"next":since}: "nothing (consecutive) yet, poll again".
  static std::string empty(uint64_t since);
};

}  // namespace im::pushd
