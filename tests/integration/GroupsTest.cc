// SPDX-License-Identifier: MIT
// GroupsTest.cc - groups through nginx, fcgi and pushd (API.md "Groups"): creation, access
// rules and their errors, delivery to every member, leave/join, and group history paging.
// Roles and membership messages in detail: GroupRolesTest.cc, GroupTimelineTest.cc.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <chrono>
#include <future>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

class Groups : public ::testing::Test {
 protected:
  void TearDown() override { stack_.waitForHeldPolls(0, std::chrono::seconds(35)); }

  std::string membersJson(const std::vector<int64_t>& ids) {
    std::string out = "[";
    for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
    return out + "]";
  }
  HttpResponse create(const TestUser& creator, const std::string& name, const std::vector<int64_t>& members) {
    return http_.post("/im/groups", "{\"name\":" + quote(name) + ",\"members\":" + membersJson(members) + "}",
                      creator.token);
  }
  int64_t createOk(const TestUser& creator, const std::string& name, const std::vector<int64_t>& members) {
    const HttpResponse r = create(creator, name, members);
    if (r.status != 201) throw std::runtime_error("create group: " + std::to_string(r.status) + " " + r.body);
    return parseObject(r.body)->getValue<int64_t>("group_id");
  }
  HttpResponse send(const TestUser& from, int64_t group, const std::string& body) {
    return http_.post("/im/send", "{\"group\":" + std::to_string(group) + ",\"body\":" + quote(body) + "}", from.token);
  }
  int64_t sendOk(const TestUser& from, int64_t group, const std::string& body) {
    const HttpResponse r = send(from, group, body);
    if (r.status != 200) throw std::runtime_error("group send: " + std::to_string(r.status) + " " + r.body);
    return parseObject(r.body)->getValue<int64_t>("msg_id");
  }
  HttpResponse history(const TestUser& who, int64_t group, int64_t before = 0, int limit = 0) {
    std::string target = "/im/history?group=" + std::to_string(group);
    if (before > 0) target += "&before=" + std::to_string(before);
    if (limit > 0) target += "&limit=" + std::to_string(limit);
    return http_.get(target, who.token);
  }
  HttpResponse action(const TestUser& who, int64_t group, const std::string& verb) {
    return http_.post("/im/groups/" + std::to_string(group) + "/" + verb, "", who.token);
  }
  HttpResponse details(const TestUser& who, int64_t group) {
    return http_.get("/im/groups/" + std::to_string(group), who.token);
  }
  PollResult poll(const TestUser& who, int64_t since, int timeoutS) { return api_.poll(who.token, since, timeoutS); }
  std::vector<int64_t> historyIds(const HttpResponse& r) {
    std::vector<int64_t> ids;
    const auto messages = parseObject(r.body)->getArray("messages");
    for (size_t i = 0; i < messages->size(); ++i) {
      ids.push_back(messages->getObject(static_cast<unsigned>(i))->getValue<int64_t>("msg_id"));
    }
    return ids;
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  HttpClient http_ = stack_.http();
};

TEST_F(Groups, CreatorIsAMemberAndTheGroupIsListedWithItsMembers) {
  const TestUser alice = api_.newUser("gcreate");
  const TestUser bob = api_.newUser("gcreate");
  const TestUser carol = api_.newUser("gcreate");
  const HttpResponse created = create(alice, "ops \xe2\x9c\x93", {bob.id, carol.id});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(IsJson(created));
  const int64_t gid = parseObject(created.body)->getValue<int64_t>("group_id");
  EXPECT_GT(gid, 0);

  for (const TestUser* who : {&alice, &bob, &carol}) {
    const HttpResponse list = http_.get("/im/groups", who->token);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_TRUE(IsJson(list));
    const auto groups = parseObject(list.body)->getArray("groups");
    ASSERT_EQ(groups->size(), 1u) << list.body;
    EXPECT_EQ(groups->getObject(0)->getValue<int64_t>("group_id"), gid);
    EXPECT_EQ(groups->getObject(0)->getValue<std::string>("name"), "ops \xe2\x9c\x93");
    EXPECT_EQ(groups->getObject(0)->getValue<int64_t>("members"), 3);
    EXPECT_EQ(groups->getObject(0)->getValue<std::string>("role"), who == &alice ? "owner" : "member");
    EXPECT_FALSE(groups->getObject(0)->getValue<bool>("public"));  // private unless created public
  }

  const HttpResponse got = details(bob, gid);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_TRUE(IsJson(got));
  const auto g = parseObject(got.body);
  EXPECT_EQ(g->getValue<int64_t>("group_id"), gid);
  EXPECT_EQ(g->getValue<std::string>("name"), "ops \xe2\x9c\x93");
  EXPECT_FALSE(g->getValue<bool>("public"));
  std::map<int64_t, std::string> members;
  const auto array = g->getArray("members");
  for (size_t i = 0; i < array->size(); ++i) {
    const auto m = array->getObject(static_cast<unsigned>(i));
    members[m->getValue<int64_t>("user_id")] = m->getValue<std::string>("username") + ":" + m->getValue<std::string>("role");
  }
  const std::map<int64_t, std::string> expected{
      {alice.id, alice.name + ":owner"}, {bob.id, bob.name + ":member"}, {carol.id, carol.name + ":member"}};
  EXPECT_EQ(members, expected);

  // Listing the creator among the members, or twice, changes nothing; no members at all is a group of one.
  const int64_t solo = createOk(carol, "solo", {carol.id, carol.id});
  const auto soloGroup = parseObject(details(carol, solo).body);
  EXPECT_EQ(soloGroup->getArray("members")->size(), 1u);
  const HttpResponse lone = http_.post("/im/groups", "{\"name\":\"lone\"}", alice.token);
  ASSERT_EQ(lone.status, 201) << lone.body;
  const HttpResponse aliceList = http_.get("/im/groups", alice.token);
  EXPECT_EQ(parseObject(aliceList.body)->getArray("groups")->size(), 2u) << aliceList.body;
}

TEST_F(Groups, NonMemberCannotSendOrReadHistoryOrSeeTheGroup) {
  const TestUser alice = api_.newUser("gperm");
  const TestUser bob = api_.newUser("gperm");
  const TestUser eve = api_.newUser("gperm");
  const int64_t gid = createOk(alice, "private", {bob.id});
  sendOk(alice, gid, "members only");

  EXPECT_TRUE(IsApiError(send(eve, gid, "let me in"), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(history(eve, gid), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(details(eve, gid), 403, "forbidden"));
  EXPECT_EQ(parseObject(http_.get("/im/groups", eve.token).body)->getArray("groups")->size(), 0u);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE sender_id = " + std::to_string(eve.id)), 0);
  const PollResult nothing = poll(eve, 0, 0);
  EXPECT_TRUE(nothing.messages.empty()) << nothing.raw;
  EXPECT_TRUE(IsApiError(http_.get("/im/groups", ""), 401, "unauthorized"));
}

TEST_F(Groups, UnknownGroupIs404Everywhere) {
  const TestUser alice = api_.newUser("g404");
  const int64_t unknown = createOk(alice, "probe", {}) + 1000000;
  EXPECT_TRUE(IsApiError(send(alice, unknown, "anyone?"), 404, "not_found"));
  EXPECT_TRUE(IsApiError(history(alice, unknown), 404, "not_found"));
  EXPECT_TRUE(IsApiError(details(alice, unknown), 404, "not_found"));
  EXPECT_TRUE(IsApiError(action(alice, unknown, "join"), 404, "not_found"));
  EXPECT_TRUE(IsApiError(action(alice, unknown, "leave"), 404, "not_found"));
}

TEST_F(Groups, UnknownMemberAtCreationIs404AndCreatesNothing) {
  const TestUser alice = api_.newUser("gunknown");
  const TestUser bob = api_.newUser("gunknown");
  const long long groupsBefore = stack_.sqlCount("SELECT COUNT(*) FROM chat_groups");
  const long long membersBefore = stack_.sqlCount("SELECT COUNT(*) FROM group_members");
  EXPECT_TRUE(IsApiError(create(alice, "ghosts", {bob.id, 999999999}), 404, "not_found"));
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM chat_groups"), groupsBefore);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM group_members"), membersBefore);
  EXPECT_EQ(parseObject(http_.get("/im/groups", bob.token).body)->getArray("groups")->size(), 0u);
}

TEST_F(Groups, BadCreateBodiesAre400) {
  const TestUser alice = api_.newUser("gbad");
  const TestUser bob = api_.newUser("gbad");
  const std::string b = std::to_string(bob.id);
  const long long groupsBefore = stack_.sqlCount("SELECT COUNT(*) FROM chat_groups");
  for (const std::string& body : {
           std::string("{\"members\":[") + b + "]}",             // no name
           std::string("{\"name\":\"\",\"members\":[") + b + "]}",  // empty name
           std::string("{\"name\":7,\"members\":[") + b + "]}",      // name not a string
           std::string("{\"name\":\"x\",\"members\":") + b + "}",    // not an array
           std::string("{\"name\":\"x\",\"members\":\"") + b + "\"}",
           std::string("{\"name\":\"x\",\"members\":{\"id\":") + b + "}}",
           std::string("{\"name\":\"x\",\"members\":[0]}"),
           std::string("{\"name\":\"x\",\"members\":[-") + b + "]}",
           std::string("{\"name\":\"x\",\"members\":[\"") + b + "\"]}",
           std::string("{\"name\":\"x\",\"members\":[1.5]}"),
           std::string("{\"name\":\"x\",\"members\":[true]}"),
           std::string("{\"name\":\"x\",\"members\":[null]}"),
           std::string("{\"name\":\"x\",\"members\":[[") + b + "]]}",
           std::string("{\"name\":\"x\",\"members\":[") + b + ",]",  // malformed JSON
           std::string("[]"),
       }) {
    EXPECT_TRUE(IsApiError(http_.post("/im/groups", body, alice.token), 400, "bad_request")) << body;
  }
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM chat_groups"), groupsBefore);
}

TEST_F(Groups, SendReachesEveryMemberOnceWithGroupAndNoTo) {
  const TestUser alice = api_.newUser("gsend");
  const TestUser bob = api_.newUser("gsend");
  const TestUser carol = api_.newUser("gsend");
  const TestUser outsider = api_.newUser("gsend");
  const int64_t gid = createOk(alice, "team", {bob.id, carol.id});

  // carol's poll is held on pushd and released by the first group send.
  ASSERT_TRUE(stack_.waitForHeldPolls(0, std::chrono::seconds(5)));
  auto held = std::async(std::launch::async, [&] { return poll(carol, 0, 30); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, std::chrono::seconds(10))) << "carol's poll never reached pushd";
  std::vector<int64_t> ids{sendOk(alice, gid, "one")};
  ASSERT_EQ(held.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "the group send did not wake carol";
  const PollResult woken = held.get();
  ASSERT_EQ(woken.messages.size(), 1u) << woken.raw;
  EXPECT_EQ(woken.messages[0].msgId, ids[0]);
  EXPECT_EQ(woken.messages[0].group, gid);
  EXPECT_FALSE(woken.messages[0].hasTo) << woken.raw;

  ids.push_back(sendOk(bob, gid, "two"));
  ids.push_back(sendOk(carol, gid, "three"));
  // One history row per message, one inbox row per member and message (until acknowledged).
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE group_id = " + std::to_string(gid)), 3);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM inbox i JOIN messages m ON m.id = i.msg_id WHERE m.group_id = " +
                            std::to_string(gid)),
            9);  // nobody has polled past since=0 yet, so nothing is acknowledged
  const std::vector<std::string> bodies{"one", "two", "three"};
  const std::vector<int64_t> senders{alice.id, bob.id, carol.id};
  for (const TestUser* who : {&alice, &bob, &carol}) {
    SCOPED_TRACE(who->name);
    const PollResult p = poll(*who, 0, 0);
    ASSERT_EQ(p.status, 200) << p.raw;
    ASSERT_EQ(p.messages.size(), 3u) << p.raw;
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(p.messages[i].seq, static_cast<int64_t>(i + 1)) << p.raw;
      EXPECT_EQ(p.messages[i].msgId, ids[i]);
      EXPECT_EQ(p.messages[i].from, senders[i]);
      EXPECT_EQ(p.messages[i].group, gid);
      EXPECT_FALSE(p.messages[i].hasTo);
      EXPECT_EQ(p.messages[i].body, bodies[i]);
    }
    EXPECT_EQ(p.next, 3);
    const PollResult again = poll(*who, p.next, 0);
    EXPECT_TRUE(again.messages.empty()) << again.raw;
  }
  EXPECT_TRUE(poll(outsider, 0, 0).messages.empty());
}

TEST_F(Groups, LeaveStopsDeliveryAndAccess) {
  const TestUser alice = api_.newUser("gleave");
  const TestUser bob = api_.newUser("gleave");
  const int64_t gid = createOk(alice, "leavers", {bob.id});
  sendOk(alice, gid, "before");
  const PollResult first = poll(bob, 0, 0);
  ASSERT_EQ(first.messages.size(), 1u) << first.raw;

  const HttpResponse left = action(bob, gid, "leave");
  EXPECT_EQ(left.status, 204) << left.body;
  EXPECT_TRUE(left.body.empty());
  EXPECT_EQ(action(bob, gid, "leave").status, 204);  // leaving twice is harmless (and told once)
  sendOk(alice, gid, "after");
  // bob's last message from the group is his own member_left; "after" never reaches him.
  const PollResult later = poll(bob, first.next, 0);
  ASSERT_EQ(later.status, 200) << later.raw;
  ASSERT_EQ(later.messages.size(), 1u) << later.raw;
  EXPECT_EQ(later.messages[0].from, bob.id);
  EXPECT_NE(later.raw.find("\"type\":\"member_left\""), std::string::npos) << later.raw;
  EXPECT_TRUE(poll(bob, later.next, 0).messages.empty());
  EXPECT_TRUE(IsApiError(send(bob, gid, "still here?"), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(history(bob, gid), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(details(bob, gid), 403, "forbidden"));
  EXPECT_EQ(parseObject(http_.get("/im/groups", bob.token).body)->getArray("groups")->size(), 0u);
  const auto remaining = parseObject(http_.get("/im/groups", alice.token).body)->getArray("groups");
  ASSERT_EQ(remaining->size(), 1u);
  EXPECT_EQ(remaining->getObject(0)->getValue<int64_t>("members"), 1);
}

TEST_F(Groups, JoinDeliversLaterMessagesOnlyAndOpensHistory) {
  const TestUser alice = api_.newUser("gjoin");
  const TestUser dave = api_.newUser("gjoin");
  const HttpResponse created = http_.post("/im/groups", "{\"name\":\"open\",\"public\":true}", alice.token);
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t gid = parseObject(created.body)->getValue<int64_t>("group_id");
  const int64_t earlier = sendOk(alice, gid, "before dave");
  EXPECT_TRUE(IsApiError(history(dave, gid), 403, "forbidden"));

  const HttpResponse joined = action(dave, gid, "join");
  EXPECT_EQ(joined.status, 204) << joined.body;
  EXPECT_EQ(action(dave, gid, "join").status, 204);  // joining twice is harmless (and told once)
  EXPECT_EQ(parseObject(details(alice, gid).body)->getArray("members")->size(), 2u);
  // Earlier messages are history, not inbox: dave's inbox starts with his own member_joined.
  const PollResult told = poll(dave, 0, 0);
  ASSERT_EQ(told.messages.size(), 1u) << told.raw;
  const int64_t joinedMsg = told.messages[0].msgId;
  EXPECT_NE(told.raw.find("\"type\":\"member_joined\""), std::string::npos) << told.raw;

  auto held = std::async(std::launch::async, [&] { return poll(dave, told.next, 30); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, std::chrono::seconds(10)));
  const int64_t later = sendOk(alice, gid, "welcome dave");
  ASSERT_EQ(held.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  const PollResult p = held.get();
  ASSERT_EQ(p.messages.size(), 1u) << p.raw;
  EXPECT_EQ(p.messages[0].seq, 2);
  EXPECT_EQ(p.messages[0].msgId, later);
  EXPECT_EQ(p.messages[0].group, gid);

  const HttpResponse h = history(dave, gid);
  ASSERT_EQ(h.status, 200) << h.body;
  EXPECT_EQ(historyIds(h), (std::vector<int64_t>{later, joinedMsg, earlier}));
  const int64_t own = sendOk(dave, gid, "thanks");
  EXPECT_EQ(poll(alice, 3, 0).messages.at(0).msgId, own);  // alice: before, joined, welcome, thanks
}

TEST_F(Groups, HistoryPagesNewestFirstWithBeforeAndMore) {
  const TestUser alice = api_.newUser("ghist");
  const TestUser bob = api_.newUser("ghist");
  const int64_t gid = createOk(alice, "archive", {bob.id});
  const int64_t other = createOk(alice, "elsewhere", {bob.id});
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(sendOk(i % 2 ? bob : alice, gid, "m" + std::to_string(i)));
    sendOk(alice, other, "noise " + std::to_string(i));  // another group's messages stay out
  }
  api_.sendOk(alice.token, bob.id, "direct noise");

  const HttpResponse first = history(bob, gid, 0, 2);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(IsJson(first));
  EXPECT_EQ(historyIds(first), (std::vector<int64_t>{ids[4], ids[3]}));
  const auto page = parseObject(first.body);
  EXPECT_TRUE(page->getValue<bool>("more"));
  const auto newest = page->getArray("messages")->getObject(0);
  EXPECT_EQ(newest->getValue<int64_t>("group"), gid);
  EXPECT_EQ(newest->getValue<int64_t>("from"), alice.id);
  EXPECT_EQ(newest->getValue<std::string>("from_name"), alice.name);
  EXPECT_EQ(newest->getValue<std::string>("body"), "m4");
  EXPECT_FALSE(newest->has("to"));
  EXPECT_FALSE(newest->has("seq"));

  const HttpResponse second = history(alice, gid, ids[3], 2);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(historyIds(second), (std::vector<int64_t>{ids[2], ids[1]}));
  EXPECT_TRUE(parseObject(second.body)->getValue<bool>("more"));

  const HttpResponse last = history(bob, gid, ids[1], 2);
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_EQ(historyIds(last), (std::vector<int64_t>{ids[0]}));
  EXPECT_FALSE(parseObject(last.body)->getValue<bool>("more"));

  const HttpResponse all = history(bob, gid);
  EXPECT_EQ(historyIds(all), (std::vector<int64_t>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
  EXPECT_FALSE(parseObject(all.body)->getValue<bool>("more"));
  EXPECT_TRUE(IsApiError(http_.get("/im/history?group=" + std::to_string(gid) + "&with=" + std::to_string(bob.id),
                                   alice.token),
                         400, "bad_request"));
}

}  // namespace
}  // namespace im::test
