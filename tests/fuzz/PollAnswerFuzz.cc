// SPDX-License-Identifier: MIT
// PollAnswerFuzz.cc - the poll answer renderer (common/PollAnswer) and pushd's use of it
// (BufferedAnswer) on arbitrary message and event objects. The input is records separated by
// 0x1E: "m<object body>" is a message, "e<object body>" an event (each wrapped in braces);
// records that are not valid JSON objects are skipped, as fcgi only ever renders valid ones.
// Invariants: the answer is one valid JSON object with exactly the messages (each with its seq),
// the events and next; pushd's buffered rendering is the same bytes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/ApiError.h"
#include "common/Json.h"
#include "common/PollAnswer.h"
#include "common/Utf8.h"
#include "pushd/BufferedAnswer.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

using im::common::PollAnswer;

bool isJsonObject(const std::string& text) {
  // Poco 1.11 takes a 0xFF byte for the end of input: UTF-8 first, as Protocol does.
  if (!im::common::utf8Length(text)) return false;
  try {
    im::common::parseJsonObject(text, 64);
    return true;
  } catch (const im::common::ApiError&) {
    return false;
  }
}

void split(std::string_view bytes, std::vector<std::string>& messages, std::vector<std::string>& events) {
  while (!bytes.empty()) {
    const size_t sep = bytes.find('\x1e');
    const std::string_view record = bytes.substr(0, sep);
    if (record.size() >= 1 && (record[0] == 'm' || record[0] == 'e')) {
      std::string object = "{" + std::string(record.substr(1)) + "}";
      if (isJsonObject(object)) (record[0] == 'm' ? messages : events).push_back(std::move(object));
    }
    if (sep == std::string_view::npos) break;
    bytes.remove_prefix(sep + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> messages, events;
  split(std::string_view(reinterpret_cast<const char*>(data), size), messages, events);
  const uint64_t since = size;
  std::string out;
  PollAnswer answer(out);
  im::pushd::SeqBuffer buffered;
  im::pushd::EventList eventTexts;
  for (size_t i = 0; i < messages.size(); ++i) {
    answer.message(messages[i], since + 1 + i);
    buffered.emplace(since + 1 + i, im::pushd::BufferedMessage{std::make_shared<const std::string>(messages[i]), 0});
  }
  for (const auto& e : events) {
    answer.event(e);
    eventTexts.push_back(std::make_shared<const std::string>(e));
  }
  const uint64_t next = since + messages.size();
  answer.finish(next);
  try {
    const auto o = im::common::parseJsonObject(out, 66);
    FUZZ_CHECK(o->getArray("messages")->size() == messages.size());
    FUZZ_CHECK(o->getArray("events")->size() == events.size());
    FUZZ_CHECK(o->getValue<uint64_t>("next") == next);
  } catch (const im::common::ApiError& e) {
    im::fuzz::invariantFailed(e.what(), __FILE__, __LINE__);
  }
  const im::pushd::GapRun run{.first = since + 1, .count = static_cast<uint32_t>(messages.size()), .gap = false};
  FUZZ_CHECK(im::pushd::BufferedAnswer::render(since, run, &buffered, eventTexts) == out);
  return 0;
}
