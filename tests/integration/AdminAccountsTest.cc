// SPDX-License-Identifier: MIT
// AdminAccountsTest.cc - issue 13: im-admin users delete (what happens to the account's sessions,
// groups, inbox and messages), groups list / show / transfer, and stats, on the real stack.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/AdminCli.h"
#include "tests/integration/GroupApi.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;

class AdminAccounts : public ::testing::Test {
 protected:
  CommandResult admin(const std::string& args) const { return runAdmin(stack_, args); }
  long long count(const std::string& table, const TestUser& u) const {
    return stack_.sqlCount("SELECT COUNT(*) FROM " + table + " WHERE user_id = " + std::to_string(u.id));
  }
  // The JSON object of a group in `groups list --json`, or null.
  Poco::JSON::Object::Ptr listed(int64_t group) const {
    const CommandResult r = admin("--json groups list");
    EXPECT_EQ(r.exitCode, 0) << r.output;
    const auto all = parseArray(r.output);
    for (unsigned i = 0; i < all->size(); ++i) {
      if (all->getObject(i)->getValue<int64_t>("id") == group) return all->getObject(i);
    }
    return nullptr;
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  GroupApi groups_{stack_.http()};
};

TEST_F(AdminAccounts, ADeletedUserIsLockedOutAtOnceLeavesItsGroupsAndItsMessagesStay) {
  const TestUser alice = api_.newUser("del_alice");
  const TestUser bob = api_.newUser("del_bob");
  const TestUser carol = api_.newUser("del_carol");
  const std::string phone = api_.loginToken(alice.name, alice.password, "phone");
  const int64_t hi = api_.sendOk(alice.token, bob.id, "hi bob");
  const int64_t bye = api_.sendOk(alice.token, bob.id, "bye bob");
  api_.sendOk(bob.token, alice.id, "hi alice");  // lands in alice's inbox
  const int64_t shared = groups_.createOk(alice, "del shared", {bob.id, carol.id});
  const int64_t alone = groups_.createOk(alice, "del alone", {});
  ASSERT_EQ(groups_.send(alice, shared, "to the group").status, 200);
  const int64_t bobSince = api_.poll(bob.token, 0, 0, 500).next;
  const int64_t aliceNext = api_.poll(phone, 0, 0, 500).next;
  auto held = std::async(std::launch::async, [&] { return api_.poll(phone, aliceNext, 4); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s));

  const CommandResult r = admin("--json users delete " + alice.name);
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_EQ(count("inbox", alice), 0);
  EXPECT_EQ(count("conversations", alice), 0);
  // Her mailbox is gone: a send to her is an unknown user's (404), and the poll her phone held
  // gets nothing: it ends at its timeout.
  EXPECT_TRUE(IsApiError(api_.send(bob.token, alice.id, "after the deletion"), 404, "not_found"));
  const PollResult ended = held.get();
  EXPECT_EQ(ended.status, 200);
  EXPECT_TRUE(ended.messages.empty()) << "a deleted account's device was still notified: " << ended.raw;
  const auto result = parseObject(r.output);
  EXPECT_FALSE(result->getValue<bool>("already_deleted"));
  EXPECT_EQ(result->getValue<int>("sessions_revoked"), 2);
  EXPECT_EQ(result->getValue<int>("groups_left"), 2);
  const auto passed = result->getArray("ownership_passed_on");
  ASSERT_EQ(passed->size(), 1u) << r.output << " (the group alone in has no one to pass to)";
  EXPECT_EQ(passed->getElement<int64_t>(0), shared);

  // Locked out: both tokens at once, the password, the name (kept, never given again).
  EXPECT_EQ(api_.poll(alice.token, 0, 0).status, 401);
  EXPECT_EQ(api_.poll(phone, 0, 0).status, 401);
  EXPECT_EQ(api_.login(alice.name, alice.password).status, 401);
  EXPECT_TRUE(IsApiError(api_.registerUser(alice.name, "another password"), 409, "conflict"));
  EXPECT_EQ(runAdmin(stack_, "users reset-password " + alice.name, "a fresh password").exitCode, 1);
  EXPECT_GT(api_.newUser("del_next").id, alice.id) << "an id is never reused";
  // Nobody can take her into a group, and the directory no longer lists her.
  const int64_t bobs = groups_.createOk(bob, "del bobs", {});
  EXPECT_TRUE(IsApiError(groups_.addMembers(bob, bobs, {alice.id}), 404, "not_found"));
  EXPECT_TRUE(IsApiError(groups_.create(bob, "del with her", {carol.id, alice.id}), 404, "not_found"));
  const HttpResponse directory = api_.http().get("/im/users?prefix=" + alice.name, bob.token);
  ASSERT_EQ(directory.status, 200) << directory.body;
  EXPECT_EQ(parseObject(directory.body)->getArray("users")->size(), 0u) << directory.body;

  // Bob's history with her keeps her messages, from her id.
  const HttpResponse history = api_.history(bob.token, alice.id, 0, 50);
  ASSERT_EQ(history.status, 200) << history.body;
  const auto items = parseObject(history.body)->getArray("messages");
  std::vector<int64_t> fromAlice;
  for (unsigned i = 0; i < items->size(); ++i) {
    if (items->getObject(i)->getValue<int64_t>("from") == alice.id) fromAlice.push_back(items->getObject(i)->getValue<int64_t>("msg_id"));
  }
  EXPECT_EQ(fromAlice.size(), 2u) << history.body;
  EXPECT_NE(std::find(fromAlice.begin(), fromAlice.end(), hi), fromAlice.end());
  EXPECT_NE(std::find(fromAlice.begin(), fromAlice.end(), bye), fromAlice.end());

  // The group: ownership passed to bob (the longest-standing member), as her leave would; the
  // members saw it as typed messages.
  EXPECT_EQ(groups_.roles(bob, shared), (std::map<int64_t, std::string>{{bob.id, "owner"}, {carol.id, "member"}}));
  std::vector<TimelineEntry> seen;
  for (const TimelineEntry& e : groups_.drain(bob, bobSince)) {
    if (e.group == shared) seen.push_back(e);  // not his own "after the deletion"
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].type, "role_changed");
  EXPECT_EQ(seen[0].target, bob.id);
  EXPECT_EQ(seen[0].role, "owner");
  EXPECT_EQ(seen[1].type, "member_left");
  EXPECT_EQ(seen[1].target, alice.id);
  EXPECT_NE(groups_.history(bob, shared).body.find("\"to the group\""), std::string::npos) << "group messages stay";
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM group_members WHERE group_id = " + std::to_string(alone)), 0);

  EXPECT_EQ(count("sessions", alice), 2) << "sessions are revoked, not deleted (sessions prune does that)";

  const CommandResult again = admin("--json users delete " + alice.name);
  ASSERT_EQ(again.exitCode, 0) << again.output;
  EXPECT_TRUE(parseObject(again.output)->getValue<bool>("already_deleted"));
  EXPECT_EQ(parseObject(again.output)->getValue<int>("groups_left"), 0);
  EXPECT_EQ(admin("users delete del_nobody_here").exitCode, 1);
}

TEST_F(AdminAccounts, GroupsAreListedShownAndTransferred) {
  const TestUser dora = api_.newUser("grp_dora");
  const TestUser eve = api_.newUser("grp_eve");
  const TestUser fay = api_.newUser("grp_fay");
  const TestUser gus = api_.newUser("grp_gus");  // not a member
  const int64_t group = groups_.createOk(dora, "ops team", {eve.id, fay.id});
  const auto row = listed(group);
  ASSERT_FALSE(row.isNull()) << "group " << group << " not listed";
  EXPECT_EQ(row->getValue<std::string>("name"), "ops team");
  EXPECT_EQ(row->getValue<int>("members"), 3);
  EXPECT_EQ(row->getObject("owner")->getValue<std::string>("username"), dora.name);

  const CommandResult show = admin("--json groups show " + std::to_string(group));
  ASSERT_EQ(show.exitCode, 0) << show.output;
  const auto members = parseObject(show.output)->getArray("member_list");
  ASSERT_EQ(members->size(), 3u) << show.output;
  EXPECT_EQ(members->getObject(0)->getValue<std::string>("username"), dora.name);
  EXPECT_EQ(members->getObject(0)->getValue<std::string>("role"), "owner");
  EXPECT_EQ(members->getObject(2)->getValue<std::string>("role"), "member");
  const CommandResult text = admin("groups show " + std::to_string(group));
  EXPECT_NE(text.output.find("\n" + std::to_string(eve.id) + "\t" + eve.name + "\tmember\t"), std::string::npos) << text.output;

  const int64_t since = api_.poll(eve.token, 0, 0, 500).next;
  const CommandResult moved = admin("--json groups transfer " + std::to_string(group) + " " + eve.name);
  ASSERT_EQ(moved.exitCode, 0) << moved.output;
  EXPECT_TRUE(parseObject(moved.output)->getValue<bool>("changed"));
  EXPECT_EQ(groups_.roles(eve, group),
            (std::map<int64_t, std::string>{{dora.id, "admin"}, {eve.id, "owner"}, {fay.id, "member"}}));
  const std::vector<TimelineEntry> seen = groups_.drain(eve, since);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].type, "role_changed");
  EXPECT_EQ(seen[0].target, eve.id);
  EXPECT_EQ(seen[0].role, "owner");
  EXPECT_EQ(seen[1].target, dora.id);
  EXPECT_EQ(seen[1].role, "admin");
  EXPECT_EQ(listed(group)->getObject("owner")->getValue<std::string>("username"), eve.name);

  EXPECT_FALSE(parseObject(admin("--json groups transfer " + std::to_string(group) + " " + eve.name).output)->getValue<bool>("changed"));
  EXPECT_EQ(admin("groups transfer " + std::to_string(group) + " " + gus.name).exitCode, 1) << "not a member";
  EXPECT_EQ(admin("groups show 999999999").exitCode, 1);
  EXPECT_EQ(admin("groups show nope").exitCode, 1);
}

TEST_F(AdminAccounts, StatsCountWhatTheStackHolds) {
  const auto stats = [&] {
    const CommandResult r = admin("--json stats");
    EXPECT_EQ(r.exitCode, 0) << r.output;
    return parseObject(r.output);
  };
  const auto before = stats();
  const TestUser hal = api_.newUser("st_hal");
  const TestUser ida = api_.newUser("st_ida");
  groups_.createOk(hal, "stats", {ida.id});
  const int64_t last = api_.sendOk(hal.token, ida.id, "counted");
  const int64_t caughtUp = api_.poll(hal.token, 0, 0, 500).next;  // the group's creation, the send
  auto held = std::async(std::launch::async, [&] { return api_.poll(hal.token, caughtUp, 20); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s));

  const auto after = stats();
  EXPECT_EQ(after->getValue<long long>("users"), before->getValue<long long>("users") + 2);
  EXPECT_EQ(after->getValue<long long>("users_deleted"),
            stack_.sqlCount("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL"));
  EXPECT_EQ(after->getValue<long long>("groups"), before->getValue<long long>("groups") + 1);
  EXPECT_EQ(after->getValue<int64_t>("last_msg_id"), last);
  EXPECT_EQ(after->getValue<int>("live_nodes"), Stack::kPushdNodes);
  EXPECT_EQ(after->getValue<int>("held_polls"), 1);
  for (const char* approx : {"messages_approx", "messages_archived_approx", "sessions_approx", "inbox_backlog_approx"}) {
    EXPECT_TRUE(after->has(approx)) << approx;
  }
  api_.sendOk(ida.token, hal.id, "wake");
  ASSERT_EQ(held.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(held.get().status, 200);
  const CommandResult text = admin("stats");
  EXPECT_NE(text.output.find("live_nodes\t" + std::to_string(Stack::kPushdNodes) + "\n"), std::string::npos) << text.output;
}

}  // namespace
}  // namespace im::test
