// SPDX-License-Identifier: MIT
// BufferedAnswer.cc - sizes the buffer once, then lets common::PollAnswer fill it.
#include "pushd/BufferedAnswer.h"

#include "common/PollAnswer.h"
#include "pushd/net/HttpResponse.h"

namespace im::pushd {

namespace {

using common::PollAnswer;

// One buffer per answer, sized once: the HTTP head is later put in front of the body in place
// (HttpResponse::wrap), so a fan-out of 1,000 answers makes 1,000 allocations, not ~5,000.
std::string reserved(size_t bodyBytes) {
  std::string out;
  out.reserve(net::HttpResponse::kMaxHeadBytes + PollAnswer::kFrameBytes + bodyBytes);
  return out;
}

}  // namespace

std::string BufferedAnswer::render(uint64_t since, const GapRun& run, const SeqBuffer* buffered,
                                   const EventList& events) {
  const uint32_t count = buffered ? run.count : 0;
  if (count == 0 && events.empty()) return empty(since);
  // The run is [first, first + count) of `buffered` (GapFilter found it there).
  const auto first = count ? buffered->find(run.first) : SeqBuffer::const_iterator{};
  size_t bytes = 0;
  auto it = first;
  for (uint32_t i = 0; i < count && it != buffered->end(); ++i, ++it) {
    bytes += it->second.message->size() + PollAnswer::kPerMessageBytes;
  }
  for (const auto& e : events) bytes += e->size() + PollAnswer::kPerEventBytes;
  std::string out = reserved(bytes);
  PollAnswer answer(out);
  uint64_t next = since;
  it = first;
  for (uint32_t i = 0; i < count && it != buffered->end(); ++i, ++it) {
    answer.message(*it->second.message, it->first);
    next = it->first;
  }
  for (const auto& e : events) answer.event(*e);
  answer.finish(next);
  return out;
}

std::string BufferedAnswer::empty(uint64_t since) {
  std::string out = reserved(0);
  PollAnswer::appendEmpty(out, since);
  return out;
}

}  // namespace im::pushd
