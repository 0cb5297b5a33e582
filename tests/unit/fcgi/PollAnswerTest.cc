// SPDX-License-Identifier: MIT
// PollAnswerTest.cc - the catch-up answer (seq first, next) and the hand-off header.
#include "fcgi/PollAnswer.h"

#include <gtest/gtest.h>

#include "common/Notification.h"

namespace im::fcgi {
namespace {

common::Message sample() {
  return common::Message{.msgId = 42, .from = 1, .fromName = "alice", .to = 2, .group = 0, .body = "hi",
                         .clientMsgId = std::nullopt, .createdAtMs = 0};
}

TEST(PollAnswer, EmptyAnswerEchoesSince) {
  EXPECT_EQ(renderPollAnswer({}, 7).body(), R"({"messages":[],"next":7})");
}

TEST(PollAnswer, MessagesCarrySeqFirstLikePushdDoes) {
  const auto r = renderPollAnswer({InboxEntry{8, sample()}, InboxEntry{9, sample()}}, 7);
  EXPECT_EQ(r.status(), 200);
  std::string pushed;
  common::appendMessageWithSeq(pushed, common::renderMessage(sample()), 8);
  EXPECT_EQ(r.body().find("{\"messages\":[" + pushed + ","), 0u);
  EXPECT_NE(r.body().find(R"("next":9})"), std::string::npos);
}

TEST(PollAnswer, HandOffPointsAtTheNodesInternalLocation) {
  AuthSession s;
  s.userId = 5;
  s.sessionId = 11;
  const auto r = handOffToPushd("127.0.0.1:9101", s, common::PollParams{3, 30, 100});
  EXPECT_EQ(r.status(), 200);
  EXPECT_TRUE(r.body().empty());
  EXPECT_EQ(r.headerValue("X-Accel-Redirect"), "/im-pushd/127.0.0.1:9101/hold?uid=5&session=11&since=3&timeout=30&limit=100");
}

}  // namespace
}  // namespace im::fcgi
