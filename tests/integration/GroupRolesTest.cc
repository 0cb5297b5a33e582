// SPDX-License-Identifier: MIT
// GroupRolesTest.cc - API.md "Groups" roles through nginx on the real stack: every role x action
// pair allowed or forbidden (one table), private by default, what GET/list show, no change =
// no message, and each error with its status and the order in which they are checked.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/GroupApi.h"
#include "tests/integration/Stack.h"
#include "tests/support/TestJson.h"

namespace im::test {
namespace {

// The cast of every table row: a fresh private group per row, owned by `owner`, with two
// admins and two members; `outsider` is in no group, `newcomer` is added by the add row.
struct Cast {
  TestUser owner, admin, admin2, member, member2, outsider, newcomer;
};

class GroupRoles : public ::testing::Test {
 protected:
  static Cast& cast() {
    static std::unique_ptr<Cast> c;
    if (!c) {
      ImClient api(Stack::get().http());
      c = std::make_unique<Cast>(Cast{api.newUser("rown"), api.newUser("radm"), api.newUser("radm"),
                                      api.newUser("rmem"), api.newUser("rmem"), api.newUser("rout"),
                                      api.newUser("rnew")});
    }
    return *c;
  }
  int64_t freshGroup() {
    const Cast& c = cast();
    const int64_t gid = groups_.createOk(c.owner, "roles", {c.admin.id, c.admin2.id, c.member.id, c.member2.id});
    for (const TestUser* a : {&c.admin, &c.admin2}) {
      const HttpResponse r = groups_.setRole(c.owner, gid, a->id, "admin");
      if (r.status != 204) throw std::runtime_error("make admin: " + r.body);
    }
    return gid;
  }
  // Everything a group change could touch: members and roles, name, public, membership messages.
  std::string snapshot(int64_t gid) {
    const std::string g = std::to_string(gid);
    return stack_.sql("SELECT CONCAT_WS(' ', name, is_public, (SELECT GROUP_CONCAT(user_id, ':', role ORDER BY user_id)"
                      " FROM group_members WHERE group_id = " + g + ")) FROM chat_groups WHERE id = " + g).at(0);
  }
  long long membershipMessages(int64_t gid) {
    return stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE type IS NOT NULL AND group_id = " + std::to_string(gid));
  }

  Stack& stack_ = Stack::get();
  GroupApi groups_{stack_.http()};
};

enum class Who { Owner, Admin, Member, Outsider };

const TestUser& actor(const Cast& c, Who who) {
  switch (who) {
    case Who::Owner: return c.owner;
    case Who::Admin: return c.admin;
    case Who::Member: return c.member;
    case Who::Outsider: return c.outsider;
  }
  return c.outsider;
}

struct Row {
  std::string action;
  Who who;
  int status;
  int messages;  // membership messages the call stores (0 when refused)
  bool changes;  // whether the group's members/roles/name/public change
};

using Action = std::function<HttpResponse(GroupApi&, const Cast&, const TestUser&, int64_t)>;

const std::vector<std::pair<std::string, Action>>& actions() {
  static const std::vector<std::pair<std::string, Action>> all = {
      {"rename", [](GroupApi& g, const Cast&, const TestUser& u, int64_t id) { return g.update(u, id, R"({"name":"renamed"})"); }},
      {"make public", [](GroupApi& g, const Cast&, const TestUser& u, int64_t id) { return g.update(u, id, R"({"public":true})"); }},
      {"add newcomer", [](GroupApi& g, const Cast& c, const TestUser& u, int64_t id) { return g.addMembers(u, id, {c.newcomer.id}); }},
      {"remove member2", [](GroupApi& g, const Cast& c, const TestUser& u, int64_t id) { return g.removeMember(u, id, c.member2.id); }},
      {"remove admin2", [](GroupApi& g, const Cast& c, const TestUser& u, int64_t id) { return g.removeMember(u, id, c.admin2.id); }},
      {"remove owner", [](GroupApi& g, const Cast& c, const TestUser& u, int64_t id) { return g.removeMember(u, id, c.owner.id); }},
      {"remove self", [](GroupApi& g, const Cast&, const TestUser& u, int64_t id) { return g.removeMember(u, id, u.id); }},
      {"promote member2", [](GroupApi& g, const Cast& c, const TestUser& u, int64_t id) { return g.setRole(u, id, c.member2.id, "admin"); }},
      {"demote admin2", [](GroupApi& g, const Cast& c, const TestUser& u, int64_t id) { return g.setRole(u, id, c.admin2.id, "member"); }},
      {"own role", [](GroupApi& g, const Cast&, const TestUser& u, int64_t id) { return g.setRole(u, id, u.id, "member"); }},
      {"get", [](GroupApi& g, const Cast&, const TestUser& u, int64_t id) { return g.get(u, id); }},
      {"send", [](GroupApi& g, const Cast&, const TestUser& u, int64_t id) { return g.send(u, id, "hello"); }},
      {"history", [](GroupApi& g, const Cast&, const TestUser& u, int64_t id) { return g.history(u, id); }},
      {"join", [](GroupApi& g, const Cast&, const TestUser& u, int64_t id) { return g.join(u, id); }},
      {"leave", [](GroupApi& g, const Cast&, const TestUser& u, int64_t id) { return g.leave(u, id); }},
  };
  return all;
}

// API.md "Groups" as a table. The member row of "own role"/"remove self" is the caller itself.
const std::vector<Row> kTable = {
    {"rename", Who::Owner, 204, 1, true}, {"rename", Who::Admin, 204, 1, true},
    {"rename", Who::Member, 403, 0, false}, {"rename", Who::Outsider, 403, 0, false},
    {"make public", Who::Owner, 204, 1, true}, {"make public", Who::Admin, 204, 1, true},
    {"make public", Who::Member, 403, 0, false}, {"make public", Who::Outsider, 403, 0, false},
    {"add newcomer", Who::Owner, 204, 1, true}, {"add newcomer", Who::Admin, 204, 1, true},
    {"add newcomer", Who::Member, 403, 0, false}, {"add newcomer", Who::Outsider, 403, 0, false},
    {"remove member2", Who::Owner, 204, 1, true}, {"remove member2", Who::Admin, 204, 1, true},
    {"remove member2", Who::Member, 403, 0, false}, {"remove member2", Who::Outsider, 403, 0, false},
    {"remove admin2", Who::Owner, 204, 1, true}, {"remove admin2", Who::Admin, 403, 0, false},
    {"remove admin2", Who::Member, 403, 0, false}, {"remove admin2", Who::Outsider, 403, 0, false},
    {"remove owner", Who::Owner, 403, 0, false}, {"remove owner", Who::Admin, 403, 0, false},
    {"remove owner", Who::Member, 403, 0, false}, {"remove owner", Who::Outsider, 403, 0, false},
    {"remove self", Who::Admin, 403, 0, false}, {"remove self", Who::Member, 403, 0, false},
    {"promote member2", Who::Owner, 204, 1, true}, {"promote member2", Who::Admin, 403, 0, false},
    {"promote member2", Who::Member, 403, 0, false}, {"promote member2", Who::Outsider, 403, 0, false},
    {"demote admin2", Who::Owner, 204, 1, true}, {"demote admin2", Who::Admin, 403, 0, false},
    {"demote admin2", Who::Member, 403, 0, false}, {"demote admin2", Who::Outsider, 403, 0, false},
    {"own role", Who::Owner, 403, 0, false}, {"own role", Who::Admin, 403, 0, false},
    {"get", Who::Owner, 200, 0, false}, {"get", Who::Admin, 200, 0, false},
    {"get", Who::Member, 200, 0, false}, {"get", Who::Outsider, 403, 0, false},
    {"send", Who::Owner, 200, 0, false}, {"send", Who::Admin, 200, 0, false},
    {"send", Who::Member, 200, 0, false}, {"send", Who::Outsider, 403, 0, false},
    {"history", Who::Owner, 200, 0, false}, {"history", Who::Admin, 200, 0, false},
    {"history", Who::Member, 200, 0, false}, {"history", Who::Outsider, 403, 0, false},
    {"join", Who::Member, 204, 0, false},  // already a member: no change
    {"join", Who::Outsider, 403, 0, false},  // private
    {"leave", Who::Owner, 204, 2, true},     // role_changed to the next owner, then member_left
    {"leave", Who::Admin, 204, 1, true}, {"leave", Who::Member, 204, 1, true},
    {"leave", Who::Outsider, 204, 0, false},  // not a member: no change
};

TEST_F(GroupRoles, EveryRoleActionPairIsAllowedOrForbiddenAsTheTableSays) {
  const Cast& c = cast();
  for (const Row& row : kTable) {
    const TestUser& who = actor(c, row.who);
    SCOPED_TRACE(row.action + " by " + who.name);
    const int64_t gid = freshGroup();
    const std::string before = snapshot(gid);
    const long long messagesBefore = membershipMessages(gid);
    Action act;
    for (const auto& [name, a] : actions()) {
      if (name == row.action) act = a;
    }
    ASSERT_TRUE(act) << "no such action";
    const HttpResponse r = act(groups_, c, who, gid);
    if (row.status == 403) {
      EXPECT_TRUE(IsApiError(r, 403, "forbidden")) << r.body;
    } else {
      EXPECT_EQ(r.status, row.status) << r.body;
      if (row.status == 204) {
        EXPECT_TRUE(r.body.empty()) << r.body;
      }
    }
    EXPECT_EQ(membershipMessages(gid) - messagesBefore, row.messages);
    EXPECT_EQ(snapshot(gid) != before, row.changes) << before << " -> " << snapshot(gid);
  }
}

TEST_F(GroupRoles, GroupsArePrivateUnlessCreatedPublic) {
  const Cast& c = cast();
  ImClient api(stack_.http());
  const TestUser dave = api.newUser("rpriv");
  const int64_t closed = groups_.createOk(c.owner, "closed", {});
  EXPECT_TRUE(IsApiError(groups_.join(dave, closed), 403, "forbidden"));
  EXPECT_FALSE(parseObject(groups_.get(c.owner, closed).body)->getValue<bool>("public"));
  const int64_t shut = groups_.createOk(c.owner, "shut", {}, false);
  EXPECT_TRUE(IsApiError(groups_.join(dave, shut), 403, "forbidden"));

  const int64_t open = groups_.createOk(c.owner, "open", {}, true);
  EXPECT_TRUE(parseObject(groups_.get(c.owner, open).body)->getValue<bool>("public"));
  const HttpResponse joined = groups_.join(dave, open);
  EXPECT_EQ(joined.status, 204) << joined.body;
  EXPECT_EQ(groups_.roles(dave, open).at(dave.id), "member");
  // Closing it keeps its members and stops new joins.
  ASSERT_EQ(groups_.update(c.owner, open, R"({"public":false})").status, 204);
  const TestUser erin = api.newUser("rpriv");
  EXPECT_TRUE(IsApiError(groups_.join(erin, open), 403, "forbidden"));
  EXPECT_EQ(groups_.send(dave, open, "still in").status, 200);
}

TEST_F(GroupRoles, ListAndGetShowRolesAndPublic) {
  const Cast& c = cast();
  const int64_t gid = freshGroup();
  const HttpResponse got = groups_.get(c.member, gid);
  ASSERT_EQ(got.status, 200) << got.body;
  const auto g = parseObject(got.body);
  EXPECT_EQ(g->getValue<int64_t>("group_id"), gid);
  EXPECT_EQ(g->getValue<std::string>("name"), "roles");
  EXPECT_FALSE(g->getValue<bool>("public"));
  const std::map<int64_t, std::string> expected{{c.owner.id, "owner"}, {c.admin.id, "admin"}, {c.admin2.id, "admin"},
                                                {c.member.id, "member"}, {c.member2.id, "member"}};
  EXPECT_EQ(groups_.roles(c.member, gid), expected);
  const auto usernames = g->getArray("members");
  for (size_t i = 0; i < usernames->size(); ++i) {
    EXPECT_FALSE(usernames->getObject(static_cast<unsigned>(i))->getValue<std::string>("username").empty());
  }
  for (const auto& [who, role] : std::vector<std::pair<const TestUser*, std::string>>{
           {&c.owner, "owner"}, {&c.admin, "admin"}, {&c.member, "member"}}) {
    const auto list = parseObject(groups_.list(*who).body)->getArray("groups");
    bool found = false;
    for (size_t i = 0; i < list->size(); ++i) {
      const auto entry = list->getObject(static_cast<unsigned>(i));
      if (entry->getValue<int64_t>("group_id") != gid) continue;
      found = true;
      EXPECT_EQ(entry->getValue<std::string>("role"), role);
      EXPECT_FALSE(entry->getValue<bool>("public"));
      EXPECT_EQ(entry->getValue<int64_t>("members"), 5);
      EXPECT_EQ(entry->getValue<std::string>("name"), "roles");
    }
    EXPECT_TRUE(found) << who->name;
  }
}

TEST_F(GroupRoles, NoChangeStoresNoMessage) {
  const Cast& c = cast();
  const int64_t gid = freshGroup();
  const std::string before = snapshot(gid);
  const long long messages = membershipMessages(gid);
  EXPECT_EQ(groups_.addMembers(c.owner, gid, {c.member.id, c.admin.id}).status, 204);  // already members
  EXPECT_EQ(groups_.setRole(c.owner, gid, c.admin.id, "admin").status, 204);          // already admin
  EXPECT_EQ(groups_.update(c.owner, gid, R"({"name":"roles","public":false})").status, 204);  // as it is
  EXPECT_EQ(groups_.join(c.member, gid).status, 204);
  EXPECT_EQ(groups_.leave(c.outsider, gid).status, 204);
  EXPECT_EQ(membershipMessages(gid), messages);
  EXPECT_EQ(snapshot(gid), before);
  // Adding a member and a non-member: one message, for the new one only.
  EXPECT_EQ(groups_.addMembers(c.admin, gid, {c.member.id, c.newcomer.id}).status, 204);
  EXPECT_EQ(membershipMessages(gid), messages + 1);
}

TEST_F(GroupRoles, ErrorsHaveApiCodesAndChangeNothing) {
  const Cast& c = cast();
  const int64_t gid = freshGroup();
  const int64_t unknown = gid + 1000000;
  const std::string before = snapshot(gid);
  // Unknown group: 404 on every group route.
  EXPECT_TRUE(IsApiError(groups_.update(c.owner, unknown, R"({"name":"x"})"), 404, "not_found"));
  EXPECT_TRUE(IsApiError(groups_.addMembers(c.owner, unknown, {c.member.id}), 404, "not_found"));
  EXPECT_TRUE(IsApiError(groups_.removeMember(c.owner, unknown, c.member.id), 404, "not_found"));
  EXPECT_TRUE(IsApiError(groups_.setRole(c.owner, unknown, c.member.id, "admin"), 404, "not_found"));
  EXPECT_TRUE(IsApiError(groups_.join(c.owner, unknown), 404, "not_found"));
  EXPECT_TRUE(IsApiError(groups_.leave(c.owner, unknown), 404, "not_found"));
  // The one acted on is not a member, or no user at all: 404.
  EXPECT_TRUE(IsApiError(groups_.removeMember(c.owner, gid, c.outsider.id), 404, "not_found"));
  EXPECT_TRUE(IsApiError(groups_.setRole(c.owner, gid, c.outsider.id, "admin"), 404, "not_found"));
  EXPECT_TRUE(IsApiError(groups_.addMembers(c.owner, gid, {c.newcomer.id, 999999999}), 404, "not_found"));
  // A bad body is 400 before anything is looked up, for a non-member too.
  for (const TestUser* who : {&c.owner, &c.outsider}) {
    EXPECT_TRUE(IsApiError(groups_.update(*who, gid, "{}"), 400, "bad_request"));
    EXPECT_TRUE(IsApiError(groups_.update(*who, gid, R"({"name":""})"), 400, "bad_request"));
    EXPECT_TRUE(IsApiError(groups_.update(*who, gid, R"({"public":"yes"})"), 400, "bad_request"));
    EXPECT_TRUE(IsApiError(groups_.addMembers(*who, gid, {}), 400, "bad_request"));
    EXPECT_TRUE(IsApiError(groups_.setRole(*who, gid, c.member.id, "owner"), 400, "bad_request"));
    EXPECT_TRUE(IsApiError(groups_.setRole(*who, gid, c.member.id, "boss"), 400, "bad_request"));
  }
  // A path id that is not a positive integer matches no route; another method is a 405.
  const HttpClient http = stack_.http();
  const std::map<std::string, std::string> auth{{"Authorization", "Bearer " + c.owner.token}};
  EXPECT_TRUE(IsApiError(http.request("DELETE", "/im/groups/" + std::to_string(gid) + "/members/0", "", auth), 404,
                         "not_found"));
  const HttpResponse wrong = http.request("GET", "/im/groups/" + std::to_string(gid) + "/members/1", "", auth);
  EXPECT_TRUE(IsApiError(wrong, 405, "method_not_allowed"));
  EXPECT_EQ(wrong.header("Allow"), "DELETE, PATCH");
  EXPECT_EQ(snapshot(gid), before);
}

TEST_F(GroupRoles, AddingPast2000MembersIsAConflictAndAddsNoOne) {
  const Cast& c = cast();
  const int64_t gid = groups_.createOk(c.owner, "crowd", {});
  const std::string g = std::to_string(gid);
  // 1,999 more members straight in SQL (registering them through the API would take minutes).
  stack_.sql("INSERT INTO users (username, password_hash, created_at) SELECT CONCAT('crowd', " + g +
             ", '_', seq), 'x', UTC_TIMESTAMP(3) FROM seq_1_to_1999");
  stack_.sql("INSERT INTO group_members (group_id, user_id, joined_at) SELECT " + g +
             ", id, UTC_TIMESTAMP(3) FROM users WHERE username LIKE 'crowd" + g + "\\_%'");
  ASSERT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM group_members WHERE group_id = " + g), 2000);
  EXPECT_TRUE(IsApiError(groups_.addMembers(c.owner, gid, {c.newcomer.id}), 409, "conflict"));
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM group_members WHERE group_id = " + g), 2000);
  EXPECT_EQ(membershipMessages(gid), 0);
  // 2001 ids in one request can never fit.
  std::vector<int64_t> many;
  for (int64_t i = 1; i <= 2001; ++i) many.push_back(i);
  EXPECT_TRUE(IsApiError(groups_.addMembers(c.owner, groups_.createOk(c.owner, "empty", {}), many), 409, "conflict"));
}

}  // namespace
}  // namespace im::test
