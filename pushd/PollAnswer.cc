// SPDX-License-Identifier: MIT
// PollAnswer.cc - string building of the answer body.
#include "pushd/PollAnswer.h"

#include "common/Notification.h"
#include "pushd/net/HttpResponse.h"

namespace im::pushd {

namespace {

// Room for the JSON punctuation around one message and its "seq" (digits included).
constexpr size_t kPerMessageBytes = 32;
constexpr size_t kFrameBytes = 48;  // {"messages":[ ... ],"next":<20 digits>}

// One buffer per answer, sized once: the HTTP head is later put in front of the body in place
// (HttpResponse::wrap), so a fan-out of 1,000 answers makes 1,000 allocations, not ~5,000.
std::string reserved(size_t bodyBytes) {
  std::string out;
  out.reserve(net::HttpResponse::kMaxHeadBytes + bodyBytes);
  return out;
}

}  // namespace

std::string PollAnswer::render(uint64_t since, const GapRun& run, const SeqBuffer* buffered) {
  if (run.empty() || !buffered) return empty(since);
  const auto first = buffered->find(run.first);
  size_t bytes = kFrameBytes;
  auto it = first;
  for (uint32_t i = 0; i < run.count && it != buffered->end(); ++i, ++it) {
    bytes += it->second.message->size() + kPerMessageBytes;
  }
  std::string out = reserved(bytes);
  out += "{\"messages\":[";
  uint64_t next = since;
  it = first;
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

std::string PollAnswer::empty(uint64_t since) {
  std::string out = reserved(kFrameBytes);
  out += "{\"messages\":[],\"next\":";
  out += std::to_string(since);
  out.push_back('}');
  return out;
}

}  // namespace im::pushd
