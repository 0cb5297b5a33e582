// SPDX-License-Identifier: MIT
// AdminTest.cc - issue 13: im-admin against the real stack, with the daemons' own config file:
// users add / reset-password / disable, sessions list / revoke / prune, nodes, archive, inbox
// prune; text and --json.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/AdminCli.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

class Admin : public ::testing::Test {
 protected:
  CommandResult admin(const std::string& args, const std::string& stdinLine = "") const {
    return runAdmin(stack_, args, stdinLine);
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(Admin, AUserAddedByAdminLogsIn) {
  const CommandResult added = admin("--json users add adm_carol", "carol password");
  ASSERT_EQ(added.exitCode, 0) << added.output;
  const auto body = parseObject(added.output);
  EXPECT_EQ(body->getValue<std::string>("username"), "adm_carol");
  EXPECT_EQ(api_.login("adm_carol", "carol password").status, 200);
  EXPECT_EQ(admin("users add adm_carol", "another password").exitCode, 1) << "a taken name";
  EXPECT_EQ(admin("users add adm_x", "short").exitCode, 1) << "a password under 8 characters";
}

TEST_F(Admin, SessionsAreListedAndRevoked) {
  const TestUser dave = api_.newUser("adm_dave");
  const std::string second = api_.loginToken(dave.name, dave.password, "phone");
  const CommandResult list = admin("--json sessions list " + dave.name);
  ASSERT_EQ(list.exitCode, 0) << list.output;
  const auto sessions = parseArray(list.output);
  ASSERT_EQ(sessions->size(), 2u) << list.output;
  const auto newest = sessions->getObject(0);
  EXPECT_EQ(newest->getValue<std::string>("device"), "phone");
  EXPECT_FALSE(newest->getValue<bool>("revoked"));

  ASSERT_EQ(api_.poll(second, 0, 0).status, 200);  // its token cache entry is warm: revoked at once anyway
  const CommandResult one = admin("sessions revoke " + dave.name + " " + std::to_string(newest->getValue<int64_t>("id")));
  ASSERT_EQ(one.exitCode, 0) << one.output;
  EXPECT_EQ(one.output, "1 sessions revoked\n");
  EXPECT_EQ(api_.poll(second, 0, 0).status, 401);
  EXPECT_EQ(api_.poll(dave.token, 0, 0).status, 200);
  EXPECT_EQ(admin("sessions revoke " + dave.name + " --all").output, "1 sessions revoked\n");
  EXPECT_EQ(api_.poll(dave.token, 0, 0).status, 401);
}

TEST_F(Admin, ResetPasswordAndDisable) {
  const TestUser erin = api_.newUser("adm_erin");
  ASSERT_EQ(admin("users reset-password " + erin.name, "a new password").exitCode, 0);
  EXPECT_EQ(api_.poll(erin.token, 0, 0).status, 401) << "a reset ends every session";
  EXPECT_EQ(api_.login(erin.name, erin.password).status, 401);
  EXPECT_EQ(api_.login(erin.name, "a new password").status, 200);

  ASSERT_EQ(admin("users disable " + erin.name).exitCode, 0);
  EXPECT_EQ(api_.login(erin.name, "a new password").status, 401);
  EXPECT_EQ(admin("users disable adm_nobody_here").exitCode, 1);
}

TEST_F(Admin, NodesListsEveryLiveNode) {
  const CommandResult nodes = admin("--json nodes");
  ASSERT_EQ(nodes.exitCode, 0) << nodes.output;
  const auto list = parseArray(nodes.output);
  ASSERT_EQ(list->size(), static_cast<size_t>(Stack::kPushdNodes)) << nodes.output;
  for (unsigned i = 0; i < list->size(); ++i) EXPECT_TRUE(list->getObject(i)->getValue<bool>("up"));
}

// Acknowledges everything in `user`'s inbox (a poll with the last next), so its rows can go.
// `user`'s one device acknowledges its whole inbox; returns once the rows are gone
// (acknowledgements are written in batches, a little after the poll: fcgi/store/AckQueue).
void ackAll(const Stack& stack, const ImClient& api, const TestUser& user) {
  const PollResult all = api.poll(user.token, 0, 0, 500);
  ASSERT_EQ(all.status, 200) << all.raw;
  ASSERT_EQ(api.poll(user.token, all.next, 0).status, 200);
  ASSERT_TRUE(stack.waitForCount("SELECT COUNT(*) FROM inbox WHERE user_id = " + std::to_string(user.id), 0,
                                 std::chrono::seconds(5)));
}

// The first test of this binary that sends: its aged messages have the table's lowest ids, as
// old messages do in production (the archive walks ids in order and stops at a recent one).
TEST_F(Admin, ArchiveMovesExactlyTheOldDeliveredMessagesInBatchesWhileSendsGoOn) {
  const TestUser alice = api_.newUser("arc_alice");
  const TestUser bob = api_.newUser("arc_bob");
  const TestUser carl = api_.newUser("arc_carl");  // never polls: his messages stay in his inbox
  std::vector<int64_t> old, pending, recent;
  for (int i = 0; i < 20; ++i) old.push_back(api_.sendOk(alice.token, bob.id, "old " + std::to_string(i)));
  for (int i = 0; i < 3; ++i) pending.push_back(api_.sendOk(alice.token, carl.id, "pending " + std::to_string(i)));
  for (int i = 0; i < 5; ++i) recent.push_back(api_.sendOk(alice.token, bob.id, "recent " + std::to_string(i)));
  ackAll(stack_, api_, alice);
  ackAll(stack_, api_, bob);
  stack_.sql("UPDATE messages SET created_at = created_at - INTERVAL 200 DAY WHERE id <= " + std::to_string(pending.back()));

  std::atomic<bool> stop{false};
  std::atomic<int> sentDuring{0};
  std::thread sender([&] {
    while (!stop) {
      if (api_.send(alice.token, bob.id, "during", "").status == 200) ++sentDuring;
    }
  });
  const CommandResult r = admin("--json archive --older-than 180d --batch 3");
  stop = true;
  sender.join();
  ASSERT_EQ(r.exitCode, 0) << r.output;
  const auto result = parseObject(r.output);
  EXPECT_EQ(result->getValue<int>("archived"), 20);
  EXPECT_GE(result->getValue<int>("batches"), 7) << "batches of 3";

  const std::string oldIds = std::to_string(old.front()) + " AND " + std::to_string(old.back());
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages_archive WHERE id BETWEEN " + oldIds), 20);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages_archive"), 20);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE id BETWEEN " + oldIds), 0);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE recipient_id = " + std::to_string(carl.id)), 3)
      << "messages still in an inbox stay";
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE body = 'during'"), sentDuring.load());
  // History stops at the archive: bob's conversation with alice now starts at the recent ones.
  const HttpResponse history = api_.history(bob.token, alice.id, 0, 100);
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(history.body.find("\"old "), std::string::npos) << history.body;
  EXPECT_NE(history.body.find("\"recent 0\""), std::string::npos) << history.body;
}

// A session's row, by its token.
std::string byToken(const std::string& token) { return "token_hash = UNHEX(SHA2('" + token + "', 256))"; }

void ageSession(Stack& stack, const std::string& token, int days) {
  stack.sql("UPDATE sessions SET last_used_at = UTC_TIMESTAMP(3) - INTERVAL " + std::to_string(days) + " DAY WHERE " +
            byToken(token));
}

// What authentication refuses (auth.token_idle_days is 30 here).
constexpr const char* kDeadSessions =
    "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NOT NULL OR last_used_at <= UTC_TIMESTAMP(3) - INTERVAL 30 DAY";

TEST_F(Admin, SessionsPruneDeletesTheDeadAndKeepsEveryUsableOne) {
  const TestUser sam = api_.newUser("prn_sam");
  const std::string revoked = api_.loginToken(sam.name, sam.password, "old phone");
  const std::string expired = api_.loginToken(sam.name, sam.password, "old laptop");
  const std::string idle = api_.loginToken(sam.name, sam.password, "tablet");
  stack_.sql("UPDATE sessions SET revoked_at = UTC_TIMESTAMP(3) WHERE " + byToken(revoked));
  ageSession(stack_, expired, 31);
  ageSession(stack_, idle, 29);  // idle, but still usable
  const long long dead = stack_.sqlCount(kDeadSessions);
  const long long all = stack_.sqlCount("SELECT COUNT(*) FROM sessions");
  ASSERT_GE(dead, 2);

  const CommandResult r = admin("--json sessions prune --batch 2");  // several batches
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_EQ(parseObject(r.output)->getValue<long long>("sessions_pruned"), dead);
  EXPECT_EQ(stack_.sqlCount(kDeadSessions), 0);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM sessions"), all - dead);
  for (const std::string* gone : {&revoked, &expired}) {
    EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM sessions WHERE " + byToken(*gone)), 0);
  }
  EXPECT_EQ(api_.poll(sam.token, 0, 0).status, 200);
  EXPECT_EQ(api_.poll(idle, 0, 0).status, 200) << "a session idle 29 days was pruned";
  EXPECT_EQ(admin("sessions prune").output, "pruned 0 sessions (revoked, or idle 30 days or more)\n");
}

TEST_F(Admin, InboxPruneDeletesWhatEveryLiveDeviceAcknowledged) {
  const TestUser ann = api_.newUser("prn_ann");  // the sender
  const TestUser ben = api_.newUser("prn_ben");  // two devices, one revoked after acknowledging less
  const TestUser cat = api_.newUser("prn_cat");  // only a device idle past the limit
  const TestUser dan = api_.newUser("prn_dan");  // a live device that acknowledged nothing yet
  const std::string benPhone = api_.loginToken(ben.name, ben.password, "phone");
  const std::string danOld = api_.loginToken(dan.name, dan.password, "old");
  for (int i = 0; i < 8; ++i) api_.sendOk(ann.token, ben.id, "b" + std::to_string(i));
  for (int i = 0; i < 3; ++i) api_.sendOk(ann.token, cat.id, "c" + std::to_string(i));
  for (int i = 0; i < 3; ++i) api_.sendOk(ann.token, dan.id, "d" + std::to_string(i));
  ASSERT_EQ(api_.poll(benPhone, 3, 0).status, 200);
  ASSERT_EQ(api_.poll(ben.token, 5, 0).status, 200);  // the poll's own rule: seq <= 3 go
  ASSERT_EQ(api_.poll(dan.token, 3, 0).status, 200);
  // The polls' acknowledgements are written in batches a little later (fcgi/store/AckQueue).
  ASSERT_TRUE(stack_.waitForCount("SELECT COUNT(*) FROM inbox WHERE user_id = " + std::to_string(ben.id), 5,
                                  std::chrono::seconds(5)));
  ASSERT_TRUE(stack_.waitForCount("SELECT COUNT(*) FROM sessions WHERE user_id = " + std::to_string(dan.id) +
                                      " AND acked_seq = 3",
                                  1, std::chrono::seconds(5)));
  ageSession(stack_, danOld, 29);  // still usable, and it acknowledged nothing
  stack_.sql("UPDATE sessions SET revoked_at = UTC_TIMESTAMP(3) WHERE " + byToken(benPhone));
  ageSession(stack_, cat.token, 31);
  const auto rows = [&](const TestUser& u) {
    return stack_.sqlCount("SELECT COUNT(*) FROM inbox WHERE user_id = " + std::to_string(u.id));
  };
  ASSERT_EQ(rows(ben), 5);

  const CommandResult r = admin("--json inbox prune --batch 1");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  const auto result = parseObject(r.output);
  EXPECT_GE(result->getValue<int>("inbox_rows_pruned"), 2 + 3);
  EXPECT_GE(result->getValue<int>("users"), 2);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM inbox WHERE user_id = " + std::to_string(ben.id) + " AND seq <= 5"), 0);
  EXPECT_EQ(rows(ben), 3) << "seqs 6-8: not acknowledged by ben's live device";
  EXPECT_EQ(rows(cat), 0) << "no live device: a new login starts past them";
  EXPECT_EQ(rows(dan), 3) << "a device idle 29 days still needs them";
  const PollResult benLeft = api_.poll(ben.token, 5, 0);
  ASSERT_EQ(benLeft.status, 200);
  EXPECT_EQ(benLeft.messages.size(), 3u);
  EXPECT_EQ(admin("inbox prune").output, "pruned 0 acknowledged inbox rows of 0 users\n");
}

}  // namespace
}  // namespace im::test
