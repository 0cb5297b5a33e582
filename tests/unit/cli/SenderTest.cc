// SPDX-License-Identifier: MIT
// SenderTest.cc - a send whose answer is lost is retried with the same client_msg_id (so the
// server stores it once); a refusal is not retried.
#include "cli/Sender.h"

#include <gtest/gtest.h>

#include "cli/ApiFailure.h"
#include "common/Json.h"
#include "tests/unit/cli/ScriptedServer.h"

namespace im::cli {
namespace {

constexpr const char* kSent = R"({"msg_id":42,"created_at":"2026-11-22T10:00:00.123Z","duplicate":true})";

std::string clientMsgIdOf(const std::string& body) {
  return common::parseJsonObject(body)->getValue<std::string>("client_msg_id");
}

TEST(Sender, RetriesATransientFailureWithTheSameClientMsgId) {
  test::ScriptedServer server({{503, R"({"error":"unavailable","message":"x"})"}, {200, kSent}});
  HttpApi api(server.url());
  int told = 0;
  const auto answer = sendWithRetry(api, Peer{2, 0}, "hi", 3, [&](const std::string&) { ++told; });
  EXPECT_EQ(answer->getValue<uint64_t>("msg_id"), 42u);
  const auto bodies = server.script().bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(clientMsgIdOf(bodies[0]), clientMsgIdOf(bodies[1]));
  EXPECT_EQ(clientMsgIdOf(bodies[0]).size(), 32u);
  EXPECT_EQ(common::parseJsonObject(bodies[0])->getValue<uint64_t>("to"), 2u);
  EXPECT_EQ(told, 1);
}

TEST(Sender, RefusalsAreNotRetried) {
  test::ScriptedServer server({{404, R"({"error":"not_found","message":"No such user."})"}});
  HttpApi api(server.url());
  EXPECT_THROW(sendWithRetry(api, Peer{0, 7}, "hi", 3, nullptr), ApiFailure);
  ASSERT_EQ(server.script().bodies().size(), 1u);
  EXPECT_EQ(common::parseJsonObject(server.script().bodies()[0])->getValue<uint64_t>("group"), 7u);
}

TEST(Sender, EachSendHasItsOwnClientMsgId) { EXPECT_NE(newClientMsgId(), newClientMsgId()); }

}  // namespace
}  // namespace im::cli
