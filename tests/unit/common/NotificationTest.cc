// SPDX-License-Identifier: MIT
// NotificationTest.cc - the fcgi -> pushd wire format round-trips and rejects malformed input.
#include "common/Notification.h"

#include <gtest/gtest.h>

using namespace im::common;

TEST(Notification, RoundTripsRecipientsAndMessage) {
  Notification n;
  n.recipients = {{1, 17}, {2, 5}, {18446744073709551615ULL, 1}};
  n.message = R"({"msg_id":42,"body":"a\nb"})";
  const std::string wire = n.encode();
  EXPECT_EQ(wire, "1:17,2:5,18446744073709551615:1\n" + n.message);
  const auto back = Notification::decode(wire);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->recipients, n.recipients);
  EXPECT_EQ(back->message, n.message);
}

TEST(Notification, KeepsNewlinesInsideTheMessage) {
  const auto n = Notification::decode("3:4\n{\"body\":\"x\ny\"}");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->message, "{\"body\":\"x\ny\"}");
}

TEST(Notification, RejectsMalformedWire) {
  for (const char* wire : {"", "\n{}", "1:2", "1:2{}", "x:2\n{}", "1:\n{}", ":2\n{}", "1:2,\n{}", "1:2,,3:4\n{}",
                           "0:1\n{}", "1:0\n{}", "1:2\nnot json", "1:2\n", "1-2\n{}", "1:2:3\n{}",
                           "99999999999999999999:1\n{}"}) {
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
