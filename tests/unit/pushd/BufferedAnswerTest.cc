// SPDX-License-Identifier: MIT
// BufferedAnswerTest.cc - a held poll's answer from buffered message texts and events, in a
// buffer that has room for the HTTP head.
#include "pushd/BufferedAnswer.h"

#include <gtest/gtest.h>

#include "pushd/net/HttpResponse.h"

namespace im::pushd {
namespace {

MessageText text(const std::string& s) { return std::make_shared<const std::string>(s); }

TEST(BufferedAnswer, InsertsEachSeqAndEndsWithNext) {
  SeqBuffer b;
  b.emplace(3, BufferedMessage{text(R"({"msg_id":10,"body":"a"})"), 0});
  b.emplace(4, BufferedMessage{text(R"({"msg_id":11,"body":"b"})"), 0});
  b.emplace(6, BufferedMessage{text(R"({"msg_id":13,"body":"d"})"), 0});
  const GapRun run = GapFilter::select(2, 100, &b);
  EXPECT_EQ(BufferedAnswer::render(2, run, &b, {}),
            R"({"messages":[{"seq":3,"msg_id":10,"body":"a"},{"seq":4,"msg_id":11,"body":"b"}],"events":[],"next":4})");
}

TEST(BufferedAnswer, CarriesEventsWithOrWithoutMessages) {
  SeqBuffer b;
  b.emplace(3, BufferedMessage{text(R"({"msg_id":10})"), 0});
  const EventList events{text(R"({"type":"typing","from":2,"with":2})")};
  EXPECT_EQ(BufferedAnswer::render(2, GapFilter::select(2, 100, &b), &b, events),
            R"({"messages":[{"seq":3,"msg_id":10}],"events":[{"type":"typing","from":2,"with":2}],"next":3})");
  // A gap (seq 5 missing after 4): the event alone, next stays at since.
  EXPECT_EQ(BufferedAnswer::render(4, GapFilter::select(4, 100, &b), &b, events),
            R"({"messages":[],"events":[{"type":"typing","from":2,"with":2}],"next":4})");
  EXPECT_EQ(BufferedAnswer::render(9, GapRun{}, nullptr, events),
            R"({"messages":[],"events":[{"type":"typing","from":2,"with":2}],"next":9})");
}

TEST(BufferedAnswer, AnEmptyRunAnswersSince) {
  EXPECT_EQ(BufferedAnswer::render(7, GapRun{}, nullptr, {}), R"({"messages":[],"events":[],"next":7})");
  EXPECT_EQ(BufferedAnswer::empty(0), R"({"messages":[],"events":[],"next":0})");
}

TEST(BufferedAnswer, LeavesRoomForTheHttpHeadInItsBuffer) {
  SeqBuffer b;
  b.emplace(1, BufferedMessage{text(R"({"msg_id":10,"body":")" + std::string(3000, 'x') + "\"}"), 0});
  const EventList events{text(R"({"type":"read","from":2,"with":1,"msg_id":10})")};
  for (const bool full : {false, true}) {
    // Made here, not copied from a list: a copy would not keep the reserved capacity.
    std::string body = full ? BufferedAnswer::render(0, GapFilter::select(0, 100, &b), &b, events)
                            : BufferedAnswer::empty(18446744073709551615u);
    const size_t bodyBytes = body.size();
    const char* const buffer = body.data();
    const std::string answer = net::HttpResponse::wrap(200, std::move(body));
    EXPECT_EQ(answer.data(), buffer) << "the head did not fit in the room BufferedAnswer reserved";
    EXPECT_EQ(answer.substr(answer.size() - bodyBytes, 13), "{\"messages\":[");
  }
}

}  // namespace
}  // namespace im::pushd
