// SPDX-License-Identifier: MIT
// ConversationProtocolTest.cc - the read request's rules, the list's limit and the exact
// Conversation shape (direct with peer markers, group without).
#include "common/ConversationProtocol.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/ApiError.h"

namespace im::common {
namespace {

bool refused(const std::string& json) {
  try {
    parseReadRequest(json);
  } catch (const ApiError& e) {
    return e.code() == ErrorCode::BadRequest;
  }
  return false;
}

TEST(ConversationProtocol, ParsesADirectOrAGroupRead) {
  const auto direct = parseReadRequest(R"({"with":2,"msg_id":42,"extra":true})");
  EXPECT_EQ(direct.conversation.with, 2u);
  EXPECT_EQ(direct.conversation.group, 0u);
  EXPECT_EQ(direct.msgId, 42u);
  const auto group = parseReadRequest(R"({"group":7,"msg_id":18446744073709551615})");
  EXPECT_EQ(group.conversation.group, 7u);
  EXPECT_EQ(group.conversation.with, 0u);
  EXPECT_EQ(group.msgId, 18446744073709551615ull);
  EXPECT_EQ(parseReadRequest(R"({"with":2,"group":null,"msg_id":1})").conversation.with, 2u);
}

TEST(ConversationProtocol, RefusesIllFormedReads) {
  const std::vector<std::string> bad = {
      "{}", R"({"with":2})", R"({"msg_id":1})", R"({"with":2,"group":7,"msg_id":1})", R"({"with":"2","msg_id":1})",
      R"({"with":2,"msg_id":0})", R"({"with":2,"msg_id":-1})", R"({"with":2,"msg_id":1.5})",
      R"({"with":2,"msg_id":"1"})", R"({"with":0,"msg_id":1})", "[]", "", "{\"with\":2,\"msg_id\":1,}",
      "{\"with\":2,\"msg_id\":1,\"x\":\"\xff\"}"};
  for (const auto& json : bad) EXPECT_TRUE(refused(json)) << json;
}

TEST(ConversationProtocol, LimitDefaultsToFiftyWithinOneToTwoHundred) {
  EXPECT_EQ(parseConversationsLimit({}), 50);
  EXPECT_EQ(parseConversationsLimit({{"limit", "200"}}), 200);
  EXPECT_EQ(parseConversationsLimit({{"limit", "1"}}), 1);
  for (const char* limit : {"0", "201", "x", ""}) {
    EXPECT_THROW(parseConversationsLimit({{"limit", limit}}), ApiError) << limit;
  }
}

Message lastMessage() {
  Message m;
  m.msgId = 44;
  m.from = 2;
  m.fromName = "bob";
  m.to = 1;
  m.body = "hi";
  m.createdAtMs = 0;
  return m;
}

TEST(ConversationProtocol, RendersADirectConversationWithThePeersMarkers) {
  ConversationSummary c;
  c.ref.with = 2;
  c.name = "bob";
  c.last = lastMessage();
  c.unread = 3;
  c.read = 40;
  c.peerRead = 42;
  c.peerDelivered = 44;
  JsonWriter w;
  renderConversation(w, c);
  EXPECT_EQ(w.str(),
            R"({"with":2,"name":"bob","last":{"msg_id":44,"from":2,"from_name":"bob","to":1,"body":"hi",)"
            R"("client_msg_id":null,"created_at":"1970-01-01T00:00:00.000Z"},"unread":3,"read":40,)"
            R"("peer_read":42,"peer_delivered":44})");
}

TEST(ConversationProtocol, RendersAGroupConversationWithoutPeerMarkers) {
  ConversationSummary c;
  c.ref.group = 7;
  c.name = "ops";
  c.last = lastMessage();
  c.last.to = 0;
  c.last.group = 7;
  c.peerRead = 5;  // never rendered for a group
  JsonWriter w;
  renderConversation(w, c);
  EXPECT_EQ(w.str(),
            R"({"group":7,"name":"ops","last":{"msg_id":44,"from":2,"from_name":"bob","group":7,"body":"hi",)"
            R"("client_msg_id":null,"created_at":"1970-01-01T00:00:00.000Z"},"unread":0,"read":0})");
}

}  // namespace
}  // namespace im::common
