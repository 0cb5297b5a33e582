// SPDX-License-Identifier: MIT
// PollAnswerTest.cc - the poll answer body: its shape with and without events, and that fcgi's
// catch-up answer and pushd's held answer are the same bytes for the same messages.
#include "common/PollAnswer.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/Json.h"
#include "common/Protocol.h"
#include "fcgi/PollReply.h"
#include "pushd/BufferedAnswer.h"

namespace im::common {
namespace {

Message sample(uint64_t msgId, const std::string& body) {
  return Message{.msgId = msgId, .from = 1, .fromName = "alice", .to = 2, .group = 0, .body = body,
                 .clientMsgId = std::nullopt, .createdAtMs = 1700000000123};
}

TEST(PollAnswer, NoMessagesAndNoEventsStillCarryBothLists) {
  std::string out = "prefix:";
  PollAnswer::appendEmpty(out, 7);
  EXPECT_EQ(out, R"(prefix:{"messages":[],"events":[],"next":7})");
}

TEST(PollAnswer, MessagesGetTheirSeqFirstAndEventsFollowAsGiven) {
  std::string out;
  PollAnswer a(out);
  a.message(R"({"msg_id":10,"body":"a"})", 3);
  a.message("{ }", 4);
  a.event(R"({"type":"typing","from":2,"with":2})");
  a.event(R"({"type":"read","from":2,"group":7,"msg_id":42})");
  a.finish(4);
  EXPECT_EQ(out, R"({"messages":[{"seq":3,"msg_id":10,"body":"a"},{"seq":4 }],)"
                 R"("events":[{"type":"typing","from":2,"with":2},{"type":"read","from":2,"group":7,"msg_id":42}],)"
                 R"("next":4})");
  const auto parsed = parseJsonObject(out);
  EXPECT_EQ(parsed->getArray("messages")->size(), 2u);
  EXPECT_EQ(parsed->getArray("events")->size(), 2u);
}

TEST(PollAnswer, EventsWithoutMessagesKeepNextAtSince) {
  std::string out;
  PollAnswer a(out);
  a.event(R"({"type":"typing","from":5,"group":9})");
  a.finish(12);
  EXPECT_EQ(out, R"({"messages":[],"events":[{"type":"typing","from":5,"group":9}],"next":12})");
}

TEST(PollAnswer, FcgiCatchUpAndPushdHeldAnswersAreByteIdentical) {
  const Message m8 = sample(42, "hi \"there\"\n");
  const Message m9 = sample(43, "你好");
  const std::string catchUp = fcgi::renderPollAnswer({fcgi::InboxEntry{8, m8}, fcgi::InboxEntry{9, m9}}, 7).body();
  // pushd gets each message as the notification payload fcgi sends: renderMessage(m).
  pushd::SeqBuffer buffered;
  buffered.emplace(8, pushd::BufferedMessage{std::make_shared<const std::string>(renderMessage(m8)), 0});
  buffered.emplace(9, pushd::BufferedMessage{std::make_shared<const std::string>(renderMessage(m9)), 0});
  const pushd::GapRun run{.first = 8, .count = 2, .gap = false};
  EXPECT_EQ(pushd::BufferedAnswer::render(7, run, &buffered, {}), catchUp);
  EXPECT_EQ(pushd::BufferedAnswer::empty(7), fcgi::renderPollAnswer({}, 7).body());
}

}  // namespace
}  // namespace im::common
