// SPDX-License-Identifier: MIT
// NotificationTest.cc - the fcgi -> pushd wire format round-trips and rejects malformed input.
#include "common/Notification.h"

#include <gtest/gtest.h>

using namespace im::common;

TEST(Notification, RoundTripsRecipientsAndMessage) {
  Notification n;
  n.recipients = {{1, 17}, {2, 5}, {18446744073709551615ULL, 1}};
  n.payload = R"({"msg_id":42,"body":"a\nb"})";
  const std::string wire = n.encode();
  EXPECT_EQ(wire, "1:17,2:5,18446744073709551615:1\n" + n.payload);
  const auto back = Notification::decode(wire);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->recipients, n.recipients);
  EXPECT_EQ(back->payload, n.payload);
}

TEST(Notification, KeepsNewlinesInsideTheMessage) {
  const auto n = Notification::decode("3:4\n{\"body\":\"x\ny\"}");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->payload, "{\"body\":\"x\ny\"}");
}

TEST(Notification, RejectsMalformedWire) {
  for (const char* wire : {"", "\n{}", "1:2", "1:2{}", "x:2\n{}", "1:\n{}", ":2\n{}", "1:2,\n{}", "1:2,,3:4\n{}",
                           "0:1\n{}", "1:0\n{}", "1:2\nnot json", "1:2\n", "1-2\n{}", "1:2:3\n{}",
                           "99999999999999999999:1\n{}"}) {
    EXPECT_FALSE(Notification::decode(wire)) << wire;
  }
}

TEST(Notification, AnEventListsUidsWithoutSeqs) {
  Notification n;
  n.kind = Notification::Kind::Event;
  n.recipients = {{1, 0}, {18446744073709551615ULL, 0}};
  n.payload = R"({"type":"typing","from":2,"with":2})";
  const std::string wire = n.encode();
  EXPECT_EQ(wire, "event 1,18446744073709551615\n" + n.payload);
  const auto back = Notification::decode(wire);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, Notification::Kind::Event);
  EXPECT_EQ(back->recipients, n.recipients);
  EXPECT_EQ(back->payload, n.payload);
}

TEST(Notification, AMessageIsNotTakenForAnEventNorTheOtherWayRound) {
  const auto message = Notification::decode("1:2\n{}");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, Notification::Kind::Message);
  // An event's recipients carry no seq; a message's always do.
  for (const char* wire : {"event 1:2\n{}", "event \n{}", "event\n{}", "event 0\n{}", "event 1,\n{}",
                           "event 1\nnot json", "Event 1\n{}", "1\n{}", "event  1\n{}"}) {
    EXPECT_FALSE(Notification::decode(wire)) << wire;
  }
}

TEST(Notification, InsertsSeqAsTheFirstMember) {
  std::string out;
  appendMessageWithSeq(out, R"({"msg_id":42,"from":1})", 17);
  EXPECT_EQ(out, R"({"seq":17,"msg_id":42,"from":1})");
  out.clear();
  appendMessageWithSeq(out, "{}", 3);
  EXPECT_EQ(out, R"({"seq":3})");
}
