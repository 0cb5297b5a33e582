// SPDX-License-Identifier: MIT
// PollReplyTest.cc - the catch-up answer (seq first, no events, next) and the hand-off header
// (TCP or unix location).
#include "fcgi/PollReply.h"

#include <gtest/gtest.h>

#include "common/HoldRequest.h"
#include "common/Log.h"
#include "common/Notification.h"

namespace im::fcgi {
namespace {

common::Message sample() {
  return common::Message{.msgId = 42, .from = 1, .fromName = "alice", .to = 2, .group = 0, .body = "hi",
                         .clientMsgId = std::nullopt, .createdAtMs = 0};
}

TEST(PollReply, EmptyAnswerEchoesSinceAndHasNoEvents) {
  EXPECT_EQ(renderPollAnswer({}, 7).body(), R"({"messages":[],"events":[],"next":7})");
}

TEST(PollReply, MessagesCarrySeqFirstLikePushdDoes) {
  const auto r = renderPollAnswer({InboxEntry{8, sample()}, InboxEntry{9, sample()}}, 7);
  EXPECT_EQ(r.status(), 200);
  std::string pushed;
  common::appendMessageWithSeq(pushed, common::renderMessage(sample()), 8);
  EXPECT_EQ(r.body().find("{\"messages\":[" + pushed + ","), 0u);
  EXPECT_NE(r.body().find(R"(],"events":[],"next":9})"), std::string::npos);
}

TEST(PollReply, HandOffPointsAtTheNodesInternalLocation) {
  AuthSession s;
  s.userId = 5;
  s.sessionId = 11;
  const auto r = handOffToPushd("127.0.0.1:9101", "", s, common::PollParams{3, 30, 100});
  EXPECT_EQ(r.status(), 200);
  EXPECT_TRUE(r.body().empty());
  const std::string target = r.headerValue("X-Accel-Redirect");
  EXPECT_EQ(target, "/im-pushd/127.0.0.1:9101/hold?uid=5&session=11&since=3&timeout=30&limit=100");
  // What pushd decodes from it is what was asked for.
  std::string error;
  const auto hold = common::HoldRequest::decode(target.substr(target.find('?') + 1), error);
  ASSERT_TRUE(hold) << error;
  EXPECT_EQ(*hold, (common::HoldRequest{.uid = 5, .session = "11", .since = 3, .timeoutS = 30, .limit = 100, .req = ""}));
}

// A node with a socket on this host: the unix location, whose regex takes the socket path
// between the node id and the route (nginx/im.locations.conf).
TEST(PollReply, HandOffOverTheNodesSocketNamesItInTheUnixLocation) {
  AuthSession s;
  s.userId = 5;
  s.sessionId = 11;
  const auto r = handOffToPushd("127.0.0.1:9101", "/run/im/pushd-127.0.0.1-9101.sock", s, common::PollParams{3, 30, 100});
  EXPECT_EQ(r.headerValue("X-Accel-Redirect"),
            "/im-pushd-unix/127.0.0.1:9101/run/im/pushd-127.0.0.1-9101.sock/hold?uid=5&session=11&since=3&timeout=30&limit=100");
}

// The worker's request id (nginx's, IM_REQUEST_ID) goes along, so pushd logs the same one.
TEST(PollReply, HandOffCarriesTheRequestIdOfThePoll) {
  AuthSession s;
  s.userId = 5;
  s.sessionId = 11;
  common::setRequestId("0123456789abcdef0123456789abcdef");
  const auto r = handOffToPushd("127.0.0.1:9101", "", s, common::PollParams{3, 30, 100});
  common::setRequestId("");
  const std::string target = r.headerValue("X-Accel-Redirect");
  EXPECT_EQ(target, "/im-pushd/127.0.0.1:9101/hold?uid=5&session=11&since=3&timeout=30&limit=100"
                    "&req=0123456789abcdef0123456789abcdef");
}

}  // namespace
}  // namespace im::fcgi
