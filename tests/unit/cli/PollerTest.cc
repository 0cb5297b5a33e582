// SPDX-License-Identifier: MIT
// PollerTest.cc - the mailbox loop against a scripted HTTP server on loopback: errors said once
// and retried, messages handed over in order with the cursor saved after them, 401 ends the loop.
#include "cli/Poller.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "tests/unit/cli/ScriptedServer.h"
#include "tests/support/TempDir.h"

namespace im::cli {
namespace {

constexpr const char* kUnavailable = R"({"error":"unavailable","message":"MariaDB is down."})";
constexpr const char* kTwoMessages =
    R"({"messages":[{"seq":1,"msg_id":10,"from":2,"from_name":"bob","to":1,"body":"one","created_at":"2026-11-22T10:00:00.123Z"},)"
    R"({"seq":2,"msg_id":11,"from":2,"from_name":"bob","to":1,"body":"two","created_at":"2026-11-22T10:00:01.123Z"}],"next":2,"events":[]})";
constexpr const char* kNothing = R"({"messages":[],"next":2,"events":[]})";

class PollerFixture : public ::testing::Test {
 protected:
  void serve(std::deque<test::Reply> replies) {
    server_ = std::make_unique<test::ScriptedServer>(std::move(replies));
    script_ = &server_->script();
  }
  std::string url() const { return server_->url(); }

  im::test::TempDir dir_{"im-poller"};
  StateFile state_{dir_.path() + "/state"};
  std::unique_ptr<test::ScriptedServer> server_;
  test::Script* script_ = nullptr;
  std::mutex mutex_;
  std::vector<std::string> shown_, statuses_;
};

TEST_F(PollerFixture, ErrorsAreSaidOnceThenMessagesArriveInOrderAndTheCursorFollows) {
  serve({{503, kUnavailable}, {503, kUnavailable}, {200, kTwoMessages}, {200, kNothing}});
  state_.load();
  HttpApi api(url());
  Poller poller(api, state_,
                PollerSink{[&](const ChatMessage& m) {
                             const std::lock_guard lock(mutex_);
                             // The cursor never runs ahead of what was shown.
                             EXPECT_EQ(state_.current().cursor, m.seq - 1);
                             shown_.push_back(m.body);
                           },
                           [](const Poco::JSON::Object::Ptr&) {},
                           [&](const std::string& s) {
                             const std::lock_guard lock(mutex_);
                             statuses_.push_back(s);
                           },
                           [](const ApiFailure&) { ADD_FAILURE() << "not a fatal error"; }},
                0);
  poller.start();
  ASSERT_TRUE(script_->waitForRequests(5));
  poller.stop();
  EXPECT_EQ(shown_, (std::vector<std::string>{"one", "two"}));
  ASSERT_EQ(statuses_.size(), 2u);
  EXPECT_EQ(statuses_[0].rfind("reconnecting...", 0), 0u) << statuses_[0];
  EXPECT_EQ(statuses_[1], "connected again");
  const auto targets = script_->targets();
  EXPECT_EQ(targets[0], "/im/poll?since=0&timeout=0");
  EXPECT_EQ(targets[2], "/im/poll?since=0&timeout=0");
  EXPECT_EQ(targets[3], "/im/poll?since=2&timeout=0");
  StateFile reread(state_.path());
  EXPECT_EQ(reread.load().cursor, 2u);
}

TEST_F(PollerFixture, RefusedSessionEndsTheLoop) {
  serve({{401, R"({"error":"unauthorized","message":"Unknown or revoked token."})"}});
  state_.load();
  HttpApi api(url());
  int fatal = 0;
  Poller poller(api, state_,
                PollerSink{[](const ChatMessage&) { ADD_FAILURE() << "no message"; },
                           [](const Poco::JSON::Object::Ptr&) {}, [](const std::string&) {},
                           [&](const ApiFailure& f) {
                             EXPECT_EQ(f.status(), 401);
                             ++fatal;
                           }},
                0);
  poller.run();  // returns by itself
  EXPECT_EQ(fatal, 1);
  EXPECT_EQ(script_->targets().size(), 1u);
}

}  // namespace
}  // namespace im::cli
