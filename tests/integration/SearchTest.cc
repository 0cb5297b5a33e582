// SPDX-License-Identifier: MIT
// SearchTest.cc - GET /im/search through nginx and fcgi (API.md "GET /im/search"): scripts and
// cases, only the caller's conversations, the named-conversation form and its 403/404, paging,
// bad parameters, and q's wildcards taken literally. SearchPlanTest.cc checks the query plan.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/SearchClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using Strings = std::vector<std::string>;

class Search : public ::testing::Test {
 protected:
  void TearDown() override { stack_.waitForHeldPolls(0, std::chrono::seconds(35)); }

  int64_t createGroup(const TestUser& creator, const std::vector<int64_t>& members) {
    std::string list;
    for (const int64_t id : members) list += (list.empty() ? "" : ",") + std::to_string(id);
    const HttpResponse r = http_.post("/im/groups", R"({"name":"search","members":[)" + list + "]}", creator.token);
    if (r.status != 201) throw std::runtime_error("create group: " + std::to_string(r.status) + " " + r.body);
    return parseObject(r.body)->getValue<int64_t>("group_id");
  }
  int64_t sendToGroup(const TestUser& from, int64_t group, const std::string& body) {
    const HttpResponse r =
        http_.post("/im/send", "{\"group\":" + std::to_string(group) + ",\"body\":" + quote(body) + "}", from.token);
    if (r.status != 200) throw std::runtime_error("group send: " + std::to_string(r.status) + " " + r.body);
    return parseObject(r.body)->getValue<int64_t>("msg_id");
  }
  Strings bodies(const TestUser& who, const std::string& q, const std::string& extra = "") {
    return found(search(http_, who, q, extra)).bodies;
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  HttpClient http_ = stack_.http();
};

TEST_F(Search, FindsLatinLettersInAnyCaseNewestFirst) {
  const TestUser alice = api_.newUser("slatin");
  const TestUser bob = api_.newUser("slatin");
  api_.sendOk(alice.token, bob.id, "Hello World");
  api_.sendOk(bob.token, alice.id, "say HELLO to Ana");
  api_.sendOk(alice.token, bob.id, "goodbye");
  api_.sendOk(bob.token, alice.id, "hellO again");
  const HttpResponse r = search(http_, alice, "heLLo");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(IsJson(r));
  EXPECT_EQ(found(r).bodies, (Strings{"hellO again", "say HELLO to Ana", "Hello World"}));
  EXPECT_FALSE(found(r).more);
  EXPECT_EQ(bodies(bob, "WORLD"), Strings{"Hello World"});  // the recipient finds it too
  EXPECT_EQ(bodies(alice, "o wo"), Strings{"Hello World"});  // a substring across a space
  EXPECT_TRUE(bodies(alice, "hello  world").empty());        // exact otherwise: two spaces
}

TEST_F(Search, FindsCjkSubstringsEmojiAndOtherScripts) {
  const TestUser alice = api_.newUser("sscript");
  const TestUser bob = api_.newUser("sscript");
  api_.sendOk(alice.token, bob.id, "他说你好吗");
  api_.sendOk(bob.token, alice.id, "你们好");
  api_.sendOk(alice.token, bob.id, "了解しました");
  api_.sendOk(bob.token, alice.id, "party 🎉 tonight");
  api_.sendOk(alice.token, bob.id, "balloon 🎈");
  api_.sendOk(bob.token, alice.id, "Привет, МИР");
  EXPECT_EQ(bodies(alice, "你好"), Strings{"他说你好吗"});
  EXPECT_EQ(bodies(alice, "好"), (Strings{"你们好", "他说你好吗"}));
  EXPECT_EQ(bodies(alice, "解し"), Strings{"了解しました"});
  // Emoji compare exactly (utf8mb4_general_ci would make every emoji equal to every other).
  EXPECT_EQ(bodies(alice, "🎉"), Strings{"party 🎉 tonight"});
  EXPECT_EQ(bodies(alice, "🎈"), Strings{"balloon 🎈"});
  EXPECT_EQ(bodies(alice, "мир"), Strings{"Привет, МИР"});  // LOWER() folds Cyrillic as well
  EXPECT_TRUE(bodies(alice, "你好么").empty());
}

TEST_F(Search, FindsOnlyTheCallersConversations) {
  const TestUser alice = api_.newUser("sscope");
  const TestUser bob = api_.newUser("sscope");
  const TestUser carol = api_.newUser("sscope");
  const TestUser dave = api_.newUser("sscope");
  const std::string word = "kumquat" + std::to_string(alice.id);
  api_.sendOk(carol.token, dave.id, "other pair: " + word);          // another pair's conversation
  const int64_t theirs = createGroup(carol, {dave.id});               // a group alice is not in
  sendToGroup(dave, theirs, "their group: " + word);
  const int64_t ours = createGroup(bob, {alice.id});
  sendToGroup(bob, ours, "our group: " + word);
  api_.sendOk(bob.token, alice.id, "direct: " + word);
  api_.sendOk(alice.token, alice.id, "note to self: " + word);        // found once, not twice
  EXPECT_EQ(bodies(alice, word), (Strings{"note to self: " + word, "direct: " + word, "our group: " + word}));
  EXPECT_EQ(bodies(carol, word), (Strings{"their group: " + word, "other pair: " + word}));
  // A former member no longer finds the group (current membership, not history).
  ASSERT_EQ(http_.post("/im/groups/" + std::to_string(ours) + "/leave", "", alice.token).status, 204);
  EXPECT_EQ(bodies(alice, word), (Strings{"note to self: " + word, "direct: " + word}));
  EXPECT_TRUE(IsApiError(search(http_, alice, word, "&group=" + std::to_string(ours)), 403, "forbidden"));
}

// A search for a name means what people wrote, not "alice added bob" in the group timeline.
TEST_F(Search, LeavesMembershipChangesOut) {
  const TestUser owner = api_.newUser("smember");
  const TestUser joiner = api_.newUser("smember");
  const int64_t group = createGroup(owner, {});
  ASSERT_EQ(http_.post("/im/groups/" + std::to_string(group) + "/members",
                       "{\"user_ids\":[" + std::to_string(joiner.id) + "]}", owner.token).status, 204);
  sendToGroup(owner, group, "welcome " + joiner.name);
  const std::string history = http_.get("/im/history?group=" + std::to_string(group), owner.token).body;
  ASSERT_NE(history.find("\"type\":\"member_added\""), std::string::npos) << history;
  EXPECT_EQ(bodies(owner, joiner.name), (Strings{"welcome " + joiner.name}));
  EXPECT_EQ(bodies(owner, joiner.name, "&group=" + std::to_string(group)), (Strings{"welcome " + joiner.name}));
}

TEST_F(Search, TheNamedConversationFormFollowsHistorysRules) {
  const TestUser alice = api_.newUser("snamed");
  const TestUser bob = api_.newUser("snamed");
  const TestUser carol = api_.newUser("snamed");
  api_.sendOk(alice.token, bob.id, "plan with bob");
  api_.sendOk(carol.token, alice.id, "plan with carol");
  const int64_t group = createGroup(alice, {bob.id});
  sendToGroup(bob, group, "plan in the group");
  const int64_t notMine = createGroup(carol, {});
  sendToGroup(carol, notMine, "plan elsewhere");
  EXPECT_EQ(bodies(alice, "plan", "&with=" + std::to_string(bob.id)), Strings{"plan with bob"});
  EXPECT_EQ(bodies(alice, "plan", "&with=" + std::to_string(carol.id)), Strings{"plan with carol"});
  EXPECT_EQ(bodies(alice, "plan", "&group=" + std::to_string(group)), Strings{"plan in the group"});
  EXPECT_EQ(bodies(alice, "plan").size(), 3u);
  EXPECT_TRUE(IsApiError(search(http_, alice, "plan", "&group=" + std::to_string(notMine)), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(search(http_, alice, "plan", "&group=999999999"), 404, "not_found"));
  EXPECT_TRUE(IsApiError(search(http_, alice, "plan", "&with=999999999"), 404, "not_found"));
  EXPECT_TRUE(IsApiError(search(http_, alice, "plan", "&with=" + std::to_string(bob.id) + "&group=" +
                                                          std::to_string(group)),
                         400, "bad_request"));
}

TEST_F(Search, PagesWithBeforeAndLimitUntilMoreIsFalse) {
  const TestUser alice = api_.newUser("spage");
  const TestUser bob = api_.newUser("spage");
  const int64_t group = createGroup(alice, {bob.id});
  std::vector<int64_t> sent;  // oldest first, direct and group interleaved
  for (int i = 0; i < 7; ++i) {
    sent.push_back(i % 2 ? sendToGroup(bob, group, "page " + std::to_string(i))
                         : api_.sendOk(i % 4 ? bob.token : alice.token, i % 4 ? alice.id : bob.id,
                                       "Page " + std::to_string(i)));
    api_.sendOk(alice.token, bob.id, "noise " + std::to_string(i));
  }
  std::vector<int64_t> seen;
  std::vector<bool> mores;
  std::string before;
  for (int round = 0; round < 5; ++round) {
    const Found page = found(search(http_, alice, "page", "&limit=3" + before));
    seen.insert(seen.end(), page.ids.begin(), page.ids.end());
    mores.push_back(page.more);
    if (!page.more) break;
    before = "&before=" + std::to_string(page.ids.back());
  }
  EXPECT_EQ(seen, std::vector<int64_t>(sent.rbegin(), sent.rend()));
  EXPECT_EQ(mores, (std::vector<bool>{true, true, false}));
  // The named forms page the same way.
  const Found direct = found(search(http_, alice, "page", "&with=" + std::to_string(bob.id) + "&limit=2"));
  EXPECT_EQ(direct.ids, (std::vector<int64_t>{sent[6], sent[4]}));
  EXPECT_TRUE(direct.more);
  const Found last = found(search(http_, alice, "page", "&with=" + std::to_string(bob.id) + "&limit=2&before=" +
                                                            std::to_string(sent[2])));
  EXPECT_EQ(last.ids, std::vector<int64_t>{sent[0]});
  EXPECT_FALSE(last.more);
}

TEST_F(Search, RefusesBadParameters) {
  const TestUser alice = api_.newUser("sbad");
  api_.sendOk(alice.token, alice.id, std::string(100, 'a'));
  EXPECT_TRUE(IsApiError(http_.get("/im/search", alice.token), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(search(http_, alice, ""), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(search(http_, alice, std::string(101, 'a')), 400, "bad_request"));
  EXPECT_EQ(bodies(alice, std::string(100, 'a')).size(), 1u);
  EXPECT_TRUE(IsApiError(http_.get("/im/search?q=%ff", alice.token), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(http_.get("/im/search?q=%zz", alice.token), 400, "bad_request"));
  for (const char* extra : {"&limit=0", "&limit=101", "&limit=x", "&before=0", "&with=-1", "&group=abc"}) {
    EXPECT_TRUE(IsApiError(search(http_, alice, "a", extra), 400, "bad_request")) << extra;
  }
  EXPECT_TRUE(IsApiError(http_.get("/im/search?q=a"), 401, "unauthorized"));
  EXPECT_TRUE(IsApiError(http_.post("/im/search?q=a", "{}", alice.token), 405, "method_not_allowed"));
}

TEST_F(Search, TakesPercentUnderscoreAndBackslashLiterally) {
  const TestUser alice = api_.newUser("swild");
  const TestUser bob = api_.newUser("swild");
  for (const char* body : {"100% sure", "1000 sure", "a_b", "axb", "back\\slash", "back/slash", "wow!", "wow"}) {
    api_.sendOk(alice.token, bob.id, body);
  }
  EXPECT_EQ(bodies(alice, "0%"), Strings{"100% sure"});
  EXPECT_EQ(bodies(alice, "%"), Strings{"100% sure"});
  EXPECT_EQ(bodies(alice, "a_b"), Strings{"a_b"});
  EXPECT_EQ(bodies(alice, "_"), Strings{"a_b"});
  EXPECT_EQ(bodies(alice, "k\\s"), Strings{"back\\slash"});
  EXPECT_EQ(bodies(alice, "\\"), Strings{"back\\slash"});
  EXPECT_EQ(bodies(alice, "w!"), Strings{"wow!"});
  EXPECT_EQ(bodies(alice, "!"), Strings{"wow!"});
  EXPECT_EQ(bodies(alice, "sure"), (Strings{"1000 sure", "100% sure"}));
}

}  // namespace
}  // namespace im::test
