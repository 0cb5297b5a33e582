// SPDX-License-Identifier: MIT
// PollAnswer.cc - string building of the answer body.
#include "pushd/PollAnswer.h"

#include "common/Notification.h"

namespace im::pushd {

std::string PollAnswer::render(uint64_t since, const GapRun& run, const SeqBuffer* buffered) {
  if (run.empty() || !buffered) return empty(since);
  std::string out = "{\"messages\":[";
  uint64_t next = since;
  auto it = buffered->find(run.first);
  for (uint32_t i = 0; i < run.count && it != buffered->end(); ++i, ++it) {
    if (i) out.push_back(',');
    common::appendMessageWithSeq(out, *it->second.message, it->first);
    next = it->first;
  }
  out += "],\"next\":";
  out += std::to_string(next);
  out.push_back('}');
  return out;
}

std::string PollAnswer::empty(uint64_t since) { return "{\"messages\":[],\"next\":" + std::to_string(since) + "}"; }

}  // namespace im::pushd
