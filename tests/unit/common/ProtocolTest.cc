// SPDX-License-Identifier: MIT
// ProtocolTest.cc - every validation rule of common/Protocol and the exact Message shape.
#include "common/Protocol.h"

#include <gtest/gtest.h>

#include "common/ApiError.h"
#include "tests/support/ApiErrorOf.h"

namespace im::common {
namespace {

using test::errorOf;

std::string sendJson(const std::string& body) { return R"({"to":2,"body":")" + body + R"("})"; }

TEST(Protocol, ParsesARegisterRequest) {
  const auto r = parseRegisterRequest(R"({"username":"alice_1","password":"12345678","extra":1})");
  EXPECT_EQ(r.username, "alice_1");
  EXPECT_EQ(r.password, "12345678");
}

TEST(Protocol, RefusesBadUsernames) {
  for (const char* name : {"al", "Alice", "a-b", "ab c", "abcdefghijklmnopqrstuvwxyz0123456", "é12"}) {
    const std::string json = std::string(R"({"username":")") + name + R"(","password":"12345678"})";
    EXPECT_EQ(errorOf([&] { parseRegisterRequest(json); }), ErrorCode::BadRequest) << name;
  }
  EXPECT_NO_THROW(parseRegisterRequest(R"({"username":"abcdefghijklmnopqrstuvwxyz012345","password":"12345678"})"));
}

TEST(Protocol, CountsPasswordLengthInBytes) {
  EXPECT_EQ(errorOf([] { parseRegisterRequest(R"({"username":"abc","password":"1234567"})"); }), ErrorCode::BadRequest);
  // 4 x "é" = 8 bytes, 4 characters: accepted (the rule is bytes).
  EXPECT_NO_THROW(parseRegisterRequest(R"({"username":"abc","password":"éééé"})"));
  const std::string longPw(129, 'x');
  EXPECT_EQ(errorOf([&] { parseRegisterRequest(R"({"username":"abc","password":")" + longPw + "\"}"); }),
            ErrorCode::BadRequest);
}

TEST(Protocol, RefusesIllTypedAndMissingFields) {
  EXPECT_EQ(errorOf([] { parseRegisterRequest(R"({"username":1,"password":"12345678"})"); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseRegisterRequest(R"({"password":"12345678"})"); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseRegisterRequest("[1]"); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseRegisterRequest("{"); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseRegisterRequest(""); }), ErrorCode::BadRequest);
}

TEST(Protocol, LoginDeviceIsOptionalAndAtMost64Characters) {
  EXPECT_EQ(parseLoginRequest(R"({"username":"a","password":"b"})").device, "");
  EXPECT_EQ(parseLoginRequest(R"({"username":"a","password":"b","device":null})").device, "");
  std::string d64;
  for (int i = 0; i < 64; ++i) d64 += "é";
  EXPECT_EQ(parseLoginRequest(R"({"username":"a","password":"b","device":")" + d64 + "\"}").device, d64);
  EXPECT_EQ(errorOf([&] { parseLoginRequest(R"({"username":"a","password":"b","device":")" + d64 + "x\"}"); }),
            ErrorCode::BadRequest);
}

TEST(Protocol, SendNeedsExactlyOneOfToAndGroup) {
  EXPECT_EQ(parseSendRequest(R"({"to":2,"body":"hi"})").to, 2u);
  EXPECT_EQ(parseSendRequest(R"({"group":7,"body":"hi"})").group, 7u);
  EXPECT_EQ(errorOf([] { parseSendRequest(R"({"body":"hi"})"); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseSendRequest(R"({"to":2,"group":7,"body":"hi"})"); }), ErrorCode::BadRequest);
}

TEST(Protocol, SendIdsArePositiveIntegers) {
  for (const char* to : {"0", "-1", "1.5", "2.0", "1e3", "\"2\"", "true", "[2]", "18446744073709551616"}) {
    const std::string json = std::string(R"({"to":)") + to + R"(,"body":"hi"})";
    EXPECT_EQ(errorOf([&] { parseSendRequest(json); }), ErrorCode::BadRequest) << to;
  }
  EXPECT_EQ(parseSendRequest(R"({"to":18446744073709551615,"body":"hi"})").to, 18446744073709551615ull);
}

TEST(Protocol, BodyLimitIsInCharactersNotBytes) {
  std::string max;
  for (size_t i = 0; i < kMaxBodyChars; ++i) max += "é";  // 8000 bytes, 4000 characters
  EXPECT_EQ(parseSendRequest(sendJson(max)).body, max);
  EXPECT_EQ(errorOf([&] { parseSendRequest(sendJson(max + "x")); }), ErrorCode::TooLarge);
  EXPECT_EQ(errorOf([] { parseSendRequest(sendJson("")); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseSendRequest(R"({"to":2})"); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseSendRequest(R"({"to":2,"body":5})"); }), ErrorCode::BadRequest);
}

TEST(Protocol, InvalidUtf8IsABadRequest) {
  EXPECT_EQ(errorOf([] { parseSendRequest(sendJson("\xC3\x28")); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseSendRequest(sendJson("\xED\xA0\x80")); }), ErrorCode::BadRequest);  // surrogate
  EXPECT_EQ(errorOf([] { parseSendRequest(sendJson("\\ud800")); }), ErrorCode::BadRequest);       // escaped one
}

TEST(Protocol, ClientMsgIdIsOptionalAndAtMost64Characters) {
  EXPECT_FALSE(parseSendRequest(R"({"to":2,"body":"x"})").clientMsgId);
  EXPECT_FALSE(parseSendRequest(R"({"to":2,"body":"x","client_msg_id":null})").clientMsgId);
  const std::string id64(64, 'k');
  EXPECT_EQ(*parseSendRequest(R"({"to":2,"body":"x","client_msg_id":")" + id64 + "\"}").clientMsgId, id64);
  EXPECT_EQ(errorOf([&] { parseSendRequest(R"({"to":2,"body":"x","client_msg_id":")" + id64 + "k\"}"); }),
            ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseSendRequest(R"({"to":2,"body":"x","client_msg_id":7})"); }), ErrorCode::BadRequest);
}

TEST(Protocol, DuplicateKeysKeepTheLast) {
  EXPECT_EQ(parseSendRequest(R"({"to":2,"body":"a","body":"b"})").body, "b");
}

TEST(Protocol, ParsesGroupCreationAndDeduplicatesMembers) {
  const auto r = parseCreateGroupRequest(R"({"name":"ops","members":[3,2,3]})");
  EXPECT_EQ(r.name, "ops");
  EXPECT_EQ(r.members, (std::vector<uint64_t>{3, 2}));
  EXPECT_TRUE(parseCreateGroupRequest(R"({"name":"solo"})").members.empty());
  EXPECT_EQ(errorOf([] { parseCreateGroupRequest(R"({"name":"","members":[]})"); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseCreateGroupRequest(R"({"name":"x","members":"2"})"); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseCreateGroupRequest(R"({"name":"x","members":[0]})"); }), ErrorCode::BadRequest);
  std::string many = R"({"name":"x","members":[1)";
  for (int i = 2; i <= 2001; ++i) many += "," + std::to_string(i);
  EXPECT_EQ(errorOf([&] { parseCreateGroupRequest(many + "]}"); }), ErrorCode::TooLarge);
}

TEST(Protocol, PollParamsHaveDefaultsAndLimits) {
  const auto d = parsePollParams({}, 30, 60);
  EXPECT_EQ(d.since, 0u);
  EXPECT_EQ(d.timeout, 30);
  EXPECT_EQ(d.limit, 100);
  const auto p = parsePollParams({{"since", "17"}, {"timeout", "0"}, {"limit", "500"}}, 30, 60);
  EXPECT_EQ(p.since, 17u);
  EXPECT_EQ(p.timeout, 0);
  EXPECT_EQ(p.limit, 500);
  for (const QueryParams& bad : std::vector<QueryParams>{{{"since", "-1"}}, {{"since", "x"}}, {{"since", ""}},
                                                         {{"since", "+1"}}, {{"timeout", "61"}}, {{"limit", "0"}},
                                                         {{"limit", "501"}}, {{"timeout", "1.5"}}}) {
    EXPECT_EQ(errorOf([&] { parsePollParams(bad, 30, 60); }), ErrorCode::BadRequest) << bad.begin()->first;
  }
}

TEST(Protocol, HistoryParamsNeedOneConversation) {
  const auto p = parseHistoryParams({{"with", "2"}, {"before", "40"}});
  EXPECT_EQ(p.with, 2u);
  EXPECT_EQ(*p.before, 40u);
  EXPECT_EQ(p.limit, 50);
  EXPECT_EQ(errorOf([] { parseHistoryParams({}); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseHistoryParams({{"with", "2"}, {"group", "3"}}); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseHistoryParams({{"group", "0"}}); }), ErrorCode::BadRequest);
  EXPECT_EQ(errorOf([] { parseHistoryParams({{"group", "3"}, {"limit", "201"}}); }), ErrorCode::BadRequest);
}

TEST(Protocol, RendersTheMessageShapeOfApiMd) {
  Message m{.msgId = 42, .from = 1, .fromName = "alice", .to = 2, .group = 0, .body = "hi \"x\"",
            .clientMsgId = std::string("c1"), .createdAtMs = 1795428000123};
  EXPECT_EQ(renderMessage(m),
            R"({"msg_id":42,"from":1,"from_name":"alice","to":2,"body":"hi \"x\"","client_msg_id":"c1",)"
            R"("created_at":"2026-11-23T10:00:00.123Z"})");
  m.to = 0;
  m.group = 7;
  m.clientMsgId.reset();
  JsonWriter w;
  renderMessage(w, m, 17);
  EXPECT_EQ(w.str(), R"({"seq":17,"msg_id":42,"from":1,"from_name":"alice","group":7,"body":"hi \"x\"",)"
                     R"("client_msg_id":null,"created_at":"2026-11-23T10:00:00.123Z"})");
}

// A membership change carries type and target, and role for role_changed; a person's message none.
TEST(Protocol, RendersMembershipMessagesWithTypeTargetAndRole) {
  Message m{.msgId = 43, .from = 1, .fromName = "alice", .to = 0, .group = 7, .body = "alice made bob an admin",
            .clientMsgId = std::nullopt, .createdAtMs = 1795428000123, .type = MessageType::RoleChanged,
            .target = 2, .role = GroupRole::Admin};
  EXPECT_EQ(renderMessage(m),
            R"({"msg_id":43,"from":1,"from_name":"alice","group":7,"body":"alice made bob an admin",)"
            R"("client_msg_id":null,"created_at":"2026-11-23T10:00:00.123Z","type":"role_changed","target":2,)"
            R"("role":"admin"})");
  m.type = MessageType::GroupUpdated;
  m.target = 0;
  m.role.reset();
  m.body = "alice made the group public";
  EXPECT_EQ(renderMessage(m),
            R"({"msg_id":43,"from":1,"from_name":"alice","group":7,"body":"alice made the group public",)"
            R"("client_msg_id":null,"created_at":"2026-11-23T10:00:00.123Z","type":"group_updated"})");
}

}  // namespace
}  // namespace im::common
