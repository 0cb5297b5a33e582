// SPDX-License-Identifier: MIT
// PollAnswer.h - the one renderer of the public poll answer body (API.md "GET /im/poll"),
// {"messages":[Message...],"events":[Event...],"next":N}, used by fcgi's catch-up and pushd's
// held polls alike, so both answer byte for byte the same shape. Pure: no I/O.
//
// It appends to a caller's string without parsing what it is given: pushd reserves that string
// once, with room for the HTTP head in front (net::HttpResponse::wrap), so an answer costs one
// allocation. Use: PollAnswer a(out); a.message(...)...; a.event(...)...; a.finish(next).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace im::common {

class PollAnswer {
 public:
  // Room reserve() needs beyond the messages' and events' own bytes.
  static constexpr size_t kFrameBytes = 64;       // {"messages":[],"events":[],"next":<20 digits>}
  static constexpr size_t kPerMessageBytes = 32;  // "seq":<20 digits>, and a comma
  static constexpr size_t kPerEventBytes = 1;     // a comma

  // Starts the answer at the end of `out`, which must outlive this writer.
  explicit PollAnswer(std::string& out);
  PollAnswer(const PollAnswer&) = delete;
  PollAnswer& operator=(const PollAnswer&) = delete;

  // A message: its JSON object without "seq" (common::renderMessage, a Notification payload);
  // "seq" goes first. All messages come before the first event.
  void message(std::string_view messageJson, uint64_t seq);
  // An event: its JSON object (common/Event), as is.
  void event(std::string_view eventJson);
  // Closes the answer; `next` as API.md says (the last seq, or since when none). Once.
  void finish(uint64_t next);

  // A whole answer with no messages and no events.
  static void appendEmpty(std::string& out, uint64_t next);

 private:
  void openEvents();

  std::string& out_;
  size_t messages_ = 0;
  size_t events_ = 0;
  bool inEvents_ = false;
};

}  // namespace im::common
