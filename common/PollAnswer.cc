// SPDX-License-Identifier: MIT
// PollAnswer.cc - string appends of the poll answer body.
#include "common/PollAnswer.h"

#include "common/Notification.h"

namespace im::common {

PollAnswer::PollAnswer(std::string& out) : out_(out) { out_ += "{\"messages\":["; }

void PollAnswer::message(std::string_view messageJson, uint64_t seq) {
  if (messages_++ != 0) out_.push_back(',');
  appendMessageWithSeq(out_, messageJson, seq);
}

void PollAnswer::openEvents() {
  if (inEvents_) return;
  out_ += "],\"events\":[";
  inEvents_ = true;
}

void PollAnswer::event(std::string_view eventJson) {
  openEvents();
  if (events_++ != 0) out_.push_back(',');
  out_ += eventJson;
}

void PollAnswer::finish(uint64_t next) {
  openEvents();
  out_ += "],\"next\":";
  out_ += std::to_string(next);
  out_.push_back('}');
}

void PollAnswer::appendEmpty(std::string& out, uint64_t next) { PollAnswer(out).finish(next); }

}  // namespace im::common
