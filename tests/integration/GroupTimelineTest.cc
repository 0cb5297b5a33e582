// SPDX-License-Identifier: MIT
// GroupTimelineTest.cc - membership changes as messages of the group timeline (API.md Message
// `type`): delivered exactly once and in order with the messages around them to every member,
// the one added or removed included; a removed member can neither send, read, nor receive,
// even with sends racing the removal; the owner's leave passes ownership on.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/GroupApi.h"
#include "tests/integration/Stack.h"
#include "tests/support/TestJson.h"

namespace im::test {
namespace {

class GroupTimeline : public ::testing::Test {
 protected:
  void TearDown() override { stack_.waitForHeldPolls(0, std::chrono::seconds(35)); }

  // (type, from, target, body) of the group's entries, in timeline order.
  static std::vector<std::string> shape(const std::vector<TimelineEntry>& entries, int64_t gid) {
    std::vector<std::string> out;
    for (const auto& e : entries) {
      if (e.group != gid) continue;
      std::string s = (e.hasType ? e.type : "-") + " " + std::to_string(e.from) + " ";
      s += e.hasTarget ? std::to_string(e.target) : "-";
      if (e.hasRole) s += " " + e.role;
      out.push_back(s + " " + e.body);
    }
    return out;
  }
  static bool consecutive(const std::vector<TimelineEntry>& entries, int64_t since) {
    for (const auto& e : entries) {
      if (e.seq != ++since) return false;
    }
    return true;
  }
  int64_t sendOk(const TestUser& who, int64_t gid, const std::string& body) {
    const HttpResponse r = groups_.send(who, gid, body);
    if (r.status != 200) throw std::runtime_error("send: " + std::to_string(r.status) + " " + r.body);
    return parseObject(r.body)->getValue<int64_t>("msg_id");
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  GroupApi groups_{stack_.http()};
};

TEST_F(GroupTimeline, MembershipMessagesReachEveryMemberOnceAndInOrder) {
  const TestUser alice = api_.newUser("tl"), bob = api_.newUser("tl"), carol = api_.newUser("tl");
  const std::string a = std::to_string(alice.id), b = std::to_string(bob.id), c = std::to_string(carol.id);
  const int64_t gid = groups_.createOk(alice, "timeline", {carol.id});
  sendOk(alice, gid, "one");
  ASSERT_EQ(groups_.addMembers(alice, gid, {bob.id}).status, 204);
  sendOk(bob, gid, "two");
  ASSERT_EQ(groups_.setRole(alice, gid, bob.id, "admin").status, 204);
  ASSERT_EQ(groups_.update(bob, gid, R"({"name":"renamed","public":true})").status, 204);
  sendOk(carol, gid, "three");
  ASSERT_EQ(groups_.removeMember(alice, gid, bob.id).status, 204);
  sendOk(alice, gid, "four");

  const std::vector<std::string> before = {"- " + a + " - one"};
  const std::vector<std::string> bobs = {
      "member_added " + a + " " + b + " " + alice.name + " added " + bob.name,
      "- " + b + " - two",
      "role_changed " + a + " " + b + " admin " + alice.name + " made " + bob.name + " an admin",
      "group_updated " + b + " - " + bob.name + " renamed the group to \"renamed\" and made it public",
      "- " + c + " - three",
      "member_removed " + a + " " + b + " " + alice.name + " removed " + bob.name};
  const std::vector<std::string> after = {"- " + a + " - four"};
  std::vector<std::string> all = before;
  all.insert(all.end(), bobs.begin(), bobs.end());
  all.insert(all.end(), after.begin(), after.end());
  for (const TestUser* who : {&alice, &carol}) {
    const auto got = groups_.drain(*who, 0);
    EXPECT_TRUE(consecutive(got, 0));
    EXPECT_EQ(shape(got, gid), all) << who->name;
  }
  // bob: from the message that added him to the one that removed him, nothing after.
  const auto got = groups_.drain(bob, 0);
  EXPECT_TRUE(consecutive(got, 0));
  EXPECT_EQ(shape(got, gid), bobs);
  // History has them too, newest first; carol (a member throughout) reads it all.
  auto history = parseTimeline(groups_.history(carol, gid).body);
  std::reverse(history.begin(), history.end());
  EXPECT_EQ(shape(history, gid), all);  // "-": a person's message has no type and no target
}

TEST_F(GroupTimeline, AHeldPollOfTheMemberAddedWakesWithItsMemberAdded) {
  const TestUser alice = api_.newUser("tlw"), dave = api_.newUser("tlw");
  const int64_t gid = groups_.createOk(alice, "wake", {});
  ASSERT_TRUE(stack_.waitForHeldPolls(0, std::chrono::seconds(5)));
  auto held = std::async(std::launch::async, [&] { return api_.poll(dave.token, 0, 30); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, std::chrono::seconds(10))) << "dave's poll never reached pushd";
  ASSERT_EQ(groups_.addMembers(alice, gid, {dave.id}).status, 204);
  ASSERT_EQ(held.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "the add did not wake dave";
  const auto woken = parseTimeline(held.get().raw);
  ASSERT_EQ(woken.size(), 1u);
  EXPECT_EQ(woken[0].seq, 1);
  EXPECT_EQ(woken[0].type, "member_added");
  EXPECT_EQ(woken[0].target, dave.id);
  EXPECT_EQ(woken[0].from, alice.id);
  EXPECT_EQ(woken[0].group, gid);
  EXPECT_FALSE(woken[0].hasRole);
}

TEST_F(GroupTimeline, ARemovedMemberCanNeitherSendReadNorReceive) {
  const TestUser alice = api_.newUser("tlr"), bob = api_.newUser("tlr");
  const int64_t gid = groups_.createOk(alice, "removal", {bob.id});
  sendOk(bob, gid, "while a member");
  ASSERT_EQ(groups_.removeMember(alice, gid, bob.id).status, 204);
  const auto bobs = groups_.drain(bob, 0);
  ASSERT_EQ(bobs.size(), 2u);
  EXPECT_EQ(bobs.back().type, "member_removed");
  sendOk(alice, gid, "after bob");
  EXPECT_TRUE(groups_.drain(bob, bobs.back().seq).empty());
  EXPECT_TRUE(IsApiError(groups_.send(bob, gid, "let me back"), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(groups_.history(bob, gid), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(groups_.get(bob, gid), 403, "forbidden"));
  EXPECT_EQ(parseObject(groups_.list(bob).body)->getArray("groups")->size(), 0u);
  EXPECT_TRUE(IsApiError(groups_.addMembers(bob, gid, {bob.id}), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(groups_.join(bob, gid), 403, "forbidden"));  // private
}

// Many sends from bob while alice removes him: each send either commits before the removal
// (200, in every member's inbox, bob's included, before member_removed) or is refused (403,
// stored nowhere). Nothing of bob's follows the removal in anyone's timeline.
TEST_F(GroupTimeline, ASendRacingTheRemovalIsDeliveredWhollyBeforeItOrRefused) {
  const TestUser alice = api_.newUser("tlrace"), bob = api_.newUser("tlrace"), carol = api_.newUser("tlrace");
  const int64_t gid = groups_.createOk(alice, "race", {bob.id, carol.id});
  constexpr int kSenders = 4, kSends = 40;
  std::atomic<int> started{0};
  std::vector<std::future<std::vector<std::pair<int, int64_t>>>> senders;
  for (int t = 0; t < kSenders; ++t) {
    senders.push_back(std::async(std::launch::async, [&, t] {
      std::vector<std::pair<int, int64_t>> out;  // (status, msg_id)
      for (int i = 0; i < kSends; ++i) {
        const HttpResponse r = groups_.send(bob, gid, "race " + std::to_string(t) + "." + std::to_string(i));
        out.emplace_back(r.status, r.status == 200 ? parseObject(r.body)->getValue<int64_t>("msg_id") : 0);
        ++started;
      }
      return out;
    }));
  }
  while (started < kSenders * kSends / 4) std::this_thread::yield();  // removal lands mid-stream
  ASSERT_EQ(groups_.removeMember(alice, gid, bob.id).status, 204);
  std::set<int64_t> accepted;
  int refused = 0;
  for (auto& f : senders) {
    for (const auto& [status, id] : f.get()) {
      if (status == 200) accepted.insert(id);
      else if (status == 403) ++refused;
      else ADD_FAILURE() << "send answered " << status;
    }
  }
  EXPECT_GT(accepted.size(), 0u);
  EXPECT_GT(refused, 0) << "the removal did not land while bob was sending";
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE type IS NULL AND group_id = " + std::to_string(gid)),
            static_cast<long long>(accepted.size()));
  for (const TestUser* who : {&alice, &bob, &carol}) {
    SCOPED_TRACE(who->name);
    const auto got = groups_.drain(*who, 0);
    EXPECT_TRUE(consecutive(got, 0));
    std::set<int64_t> seen;
    bool removed = false;
    for (const auto& e : got) {
      if (e.type == "member_removed") {
        EXPECT_FALSE(removed) << "two removals";
        removed = true;
        continue;
      }
      EXPECT_FALSE(removed) << "message " << e.msgId << " follows the removal";
      EXPECT_TRUE(seen.insert(e.msgId).second) << "message " << e.msgId << " delivered twice";
    }
    EXPECT_TRUE(removed);
    EXPECT_EQ(seen, accepted);
    if (who == &bob) {
      EXPECT_EQ(got.back().type, "member_removed") << "bob's last message is his removal";
    }
  }
}

TEST_F(GroupTimeline, TheOwnersLeavePassesOwnershipToTheLongestStandingAdminElseMember) {
  const TestUser alice = api_.newUser("tlo"), m1 = api_.newUser("tlo"), adm = api_.newUser("tlo"),
                 m2 = api_.newUser("tlo");
  const int64_t gid = groups_.createOk(alice, "succession", {m1.id});
  ASSERT_EQ(groups_.addMembers(alice, gid, {adm.id}).status, 204);
  ASSERT_EQ(groups_.addMembers(alice, gid, {m2.id}).status, 204);
  ASSERT_EQ(groups_.setRole(alice, gid, adm.id, "admin").status, 204);
  const int64_t since = static_cast<int64_t>(groups_.drain(m2, 0).back().seq);

  ASSERT_EQ(groups_.leave(alice, gid).status, 204);  // an admin beats a longer-standing member
  const auto told = groups_.drain(m2, since);
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0].type, "role_changed");
  EXPECT_EQ(told[0].target, adm.id);
  EXPECT_EQ(told[0].role, "owner");
  EXPECT_EQ(told[0].from, alice.id);
  EXPECT_EQ(told[1].type, "member_left");
  EXPECT_EQ(told[1].target, alice.id);
  EXPECT_EQ(told[1].body, alice.name + " left");
  EXPECT_EQ(groups_.roles(m2, gid), (std::map<int64_t, std::string>{{m1.id, "member"}, {adm.id, "owner"}, {m2.id, "member"}}));
  EXPECT_EQ(groups_.drain(alice, 0).back().type, "member_left") << "the leaver's last message is its leave";

  ASSERT_EQ(groups_.leave(adm, gid).status, 204);  // no admin left: the longest-standing member
  EXPECT_EQ(groups_.roles(m2, gid), (std::map<int64_t, std::string>{{m1.id, "owner"}, {m2.id, "member"}}));
  ASSERT_EQ(groups_.leave(m1, gid).status, 204);
  EXPECT_EQ(groups_.roles(m2, gid), (std::map<int64_t, std::string>{{m2.id, "owner"}}));
  // The last one out: the group and its history remain.
  ASSERT_EQ(groups_.leave(m2, gid).status, 204);
  const std::string g = std::to_string(gid);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM chat_groups WHERE id = " + g), 1);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM group_members WHERE group_id = " + g), 0);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE group_id = " + g), 10);
  EXPECT_TRUE(IsApiError(groups_.get(m2, gid), 403, "forbidden"));
}

TEST_F(GroupTimeline, JoiningAPublicGroupIsToldAndTheFirstOneInAnEmptyGroupOwnsIt) {
  const TestUser alice = api_.newUser("tlj"), dave = api_.newUser("tlj");
  const int64_t gid = groups_.createOk(alice, "lobby", {}, true);
  const int64_t earlier = sendOk(alice, gid, "before dave");
  ASSERT_EQ(groups_.join(dave, gid).status, 204);
  const auto daves = groups_.drain(dave, 0);
  ASSERT_EQ(daves.size(), 1u);  // earlier messages are history, not inbox
  EXPECT_EQ(daves[0].type, "member_joined");
  EXPECT_EQ(daves[0].from, dave.id);
  EXPECT_EQ(daves[0].target, dave.id);
  EXPECT_EQ(daves[0].body, dave.name + " joined");
  EXPECT_EQ(groups_.drain(alice, 0).back().msgId, daves[0].msgId);
  const auto history = parseTimeline(groups_.history(dave, gid).body);  // from before he joined too
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].msgId, earlier);

  ASSERT_EQ(groups_.leave(alice, gid).status, 204);
  ASSERT_EQ(groups_.leave(dave, gid).status, 204);
  const TestUser erin = api_.newUser("tlj");
  ASSERT_EQ(groups_.join(erin, gid).status, 204);
  EXPECT_EQ(groups_.roles(erin, gid), (std::map<int64_t, std::string>{{erin.id, "owner"}}));
}

}  // namespace
}  // namespace im::test
