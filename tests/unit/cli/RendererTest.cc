// SPDX-License-Identifier: MIT
// RendererTest.cc - a message's line: local time, names not ids, direct vs group, marks.
#include "cli/Renderer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "common/Json.h"

namespace im::cli {
namespace {

// 2026-11-22T10:00:00.123Z
constexpr int64_t kT = 1795341600123;

class Renderer : public ::testing::Test {
 protected:
  void SetUp() override { setZone("UTC0"); }
  void TearDown() override { setZone("UTC0"); }
  static void setZone(const char* tz) {
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  RenderContext ctx{1, kT, [](uint64_t id) { return id == 2 ? std::string("bob") : "user " + std::to_string(id); },
                    [](uint64_t id) { return id == 7 ? std::string("ops") : std::to_string(id); }};
};

ChatMessage message(const std::string& json) { return parseChatMessage(common::parseJsonObject(json)); }

TEST_F(Renderer, DirectMessageToMeShowsTheSendersName) {
  const auto m = message(R"({"seq":3,"msg_id":42,"from":2,"from_name":"bob","to":1,"body":"hi","created_at":"2026-11-22T10:00:00.123Z"})");
  EXPECT_EQ(renderMessage(m, ctx), "[10:00] bob: hi");
}

TEST_F(Renderer, MyDirectMessageNamesTheRecipient) {
  const auto m = message(R"({"msg_id":43,"from":1,"from_name":"alice","to":2,"body":"yo","created_at":"2026-11-22T10:00:00.123Z"})");
  EXPECT_EQ(renderMessage(m, ctx), "[10:00] you -> bob: yo");
}

TEST_F(Renderer, GroupMessageNamesTheGroup) {
  const auto m = message(R"({"msg_id":44,"from":2,"from_name":"bob","group":7,"body":"deploy","created_at":"2026-11-22T10:00:00.123Z"})");
  EXPECT_EQ(renderMessage(m, ctx), "[10:00] #ops bob: deploy");
}

TEST_F(Renderer, MembershipChangeShowsItsSentence) {
  const auto m = message(R"({"msg_id":45,"from":1,"from_name":"alice","group":7,"type":"member_added","target":2,"body":"alice added bob","created_at":"2026-11-22T10:00:00.123Z"})");
  EXPECT_EQ(renderMessage(m, ctx), "[10:00] #ops * alice added bob");
}

TEST_F(Renderer, TimesAreLocal) {
  setZone("JST-9");  // UTC+9, no tzdata needed
  const auto m = message(R"({"msg_id":42,"from":2,"from_name":"bob","to":1,"body":"hi","created_at":"2026-11-22T10:00:00.123Z"})");
  EXPECT_EQ(renderMessage(m, ctx), "[19:00] bob: hi");
}

TEST_F(Renderer, AnotherDayShowsTheDate) {
  EXPECT_EQ(formatLocalTime(kT, kT), "10:00");
  EXPECT_EQ(formatLocalTime(kT - 86400000, kT), "2026-11-21 10:00");
}

TEST_F(Renderer, ReadMarks) {
  EXPECT_EQ(readMark(42, 0, 0), "");
  EXPECT_EQ(readMark(42, 42, 0), " \u2713");
  EXPECT_EQ(readMark(42, 44, 42), " \u2713\u2713");
  EXPECT_EQ(readMark(42, 41, 41), "");
}

TEST_F(Renderer, ConversationLineShowsUnreadAndMarkOfMyLastMessage) {
  const auto c = common::parseJsonObject(
      R"({"with":2,"name":"bob","unread":3,"read":40,"peer_read":44,"peer_delivered":44,)"
      R"("last":{"msg_id":44,"from":1,"from_name":"alice","to":2,"body":"ok","created_at":"2026-11-22T10:00:00.123Z"}})");
  const std::string line = renderConversation(c, ctx);
  EXPECT_NE(line.find("bob"), std::string::npos) << line;
  EXPECT_NE(line.find("3 unread"), std::string::npos) << line;
  EXPECT_NE(line.find("you -> bob: ok \u2713\u2713"), std::string::npos) << line;
}

TEST_F(Renderer, GroupConversationLine) {
  const auto c = common::parseJsonObject(
      R"({"group":7,"name":"ops","unread":0,"read":0,)"
      R"("last":{"msg_id":9,"from":2,"from_name":"bob","group":7,"body":"x","created_at":"2026-11-22T10:00:00.123Z"}})");
  const std::string line = renderConversation(c, ctx);
  EXPECT_NE(line.find("#ops (7)"), std::string::npos) << line;
  EXPECT_EQ(line.find("unread"), std::string::npos) << line;
  EXPECT_EQ(line.find("\u2713"), std::string::npos) << line;
}

TEST_F(Renderer, GroupLineSaysSizeRoleAndVisibility) {
  EXPECT_EQ(renderGroup(common::parseJsonObject(R"({"group_id":7,"name":"ops","members":3,"role":"owner","public":true})")),
            "  #ops (7)  3 members, you are owner, public");
  EXPECT_EQ(renderGroup(common::parseJsonObject(R"({"group_id":8,"name":"me","members":1,"role":"member","public":false})")),
            "  #me (8)  1 member, you are member");
}

TEST(ChatMessage, ParsesEveryFieldAndKeepsTheJson) {
  const auto m = message(R"({"seq":3,"msg_id":18446744073709551615,"from":2,"from_name":"bob","to":1,"body":"hi","created_at":"2026-11-22T10:00:00.123Z"})");
  EXPECT_EQ(m.seq, 3u);
  EXPECT_EQ(m.msgId, 18446744073709551615ull);
  EXPECT_EQ(m.createdAtMs, kT);
  EXPECT_FALSE(m.isGroup());
  EXPECT_NE(m.json.find("\"body\":\"hi\""), std::string::npos);
  EXPECT_THROW(message(R"({"from":2})"), std::runtime_error);
}

}  // namespace
}  // namespace im::cli
