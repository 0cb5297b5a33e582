// SPDX-License-Identifier: MIT
// BufferedAnswer.h - the body of a held poll's answer: the messages of a gap-free run of the
// early buffer and the events that woke the poll, rendered by common::PollAnswer without parsing
// them, in one buffer with room for the HTTP head in front (net::HttpResponse::wrap).
#pragma once

#include <cstdint>
#include <string>

#include "pushd/BufferedMessage.h"
#include "pushd/GapFilter.h"

namespace im::pushd {

class BufferedAnswer {
 public:
  // The messages of `run` taken from `buffered` (may be null when the run is empty), then
  // `events`; next = the run's last seq, or `since` if empty.
  static std::string render(uint64_t since, const GapRun& run, const SeqBuffer* buffered, const EventList& events);
  // {"messages":[],"events":[],"next":since}: "nothing (consecutive) yet, poll again".
  static std::string empty(uint64_t since);
};

}  // namespace im::pushd
