// SPDX-License-Identifier: MIT
// PollAnswerTest.cc - the public poll answer shape built from buffered message texts.
#include "pushd/PollAnswer.h"

#include <gtest/gtest.h>

#include "pushd/net/HttpResponse.h"

namespace im::pushd {
namespace {

TEST(PollAnswer, InsertsEachSeqAndEndsWithNext) {
  SeqBuffer b;
  b.emplace(3, BufferedMessage{std::make_shared<const std::string>(R"({"msg_id":10,"body":"a"})"), 0});
  b.emplace(4, BufferedMessage{std::make_shared<const std::string>(R"({"msg_id":11,"body":"b"})"), 0});
  const GapRun run = GapFilter::select(2, 100, &b);
  EXPECT_EQ(PollAnswer::render(2, run, &b),
            R"({"messages":[{"seq":3,"msg_id":10,"body":"a"},{"seq":4,"msg_id":11,"body":"b"}],"next":4})");
}

TEST(PollAnswer, AnEmptyRunAnswersSince) {
  EXPECT_EQ(PollAnswer::render(7, GapRun{}, nullptr), R"({"messages":[],"next":7})");
  EXPECT_EQ(PollAnswer::empty(0), R"({"messages":[],"next":0})");
}

TEST(PollAnswer, LeavesRoomForTheHttpHeadInItsBuffer) {
  std::string body = PollAnswer::empty(18446744073709551615u);
  const char* const buffer = body.data();
  const std::string answer = net::HttpResponse::wrap(200, std::move(body));
  EXPECT_EQ(answer.data(), buffer) << "the head did not fit in the room PollAnswer reserved";
  EXPECT_NE(answer.find("\r\n\r\n{\"messages\":[],\"next\":18446744073709551615}"), std::string::npos);
}

}  // namespace
}  // namespace im::pushd
