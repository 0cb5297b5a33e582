// SPDX-License-Identifier: MIT
// SearchPlanTest.cc - the search statements' plans on a table where the optimizer's choice is
// real (60,000 rows, 1 in 100 the caller's): EXPLAIN of the exact text SearchStore prepares shows
// only the conversation indexes, never a scan of messages, and a search that finds nothing reads
// about as many rows as the caller has messages, not the table.
#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fcgi/store/SearchStore.h"
#include "tests/integration/ImClient.h"
#include "tests/integration/SearchClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

constexpr int kRows = 60000;
constexpr const char* kMaxId = "18446744073709551615";

struct PlanRow {
  std::string table, type, key, line;
};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, '\t');) out.push_back(cell);
  return out;
}

// 'text' as an SQL string literal (default sql_mode: backslash escapes).
std::string literal(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

class SearchPlan : public ::testing::Test {
 protected:
  // PREPARE the statement, EXECUTE it with `args` (SQL expressions) after `prefix`, in one session.
  std::vector<std::string> execute(const std::string& sql, const std::vector<std::string>& args,
                                   const std::string& before = "", const std::string& after = "") {
    std::string set, use;
    for (size_t i = 0; i < args.size(); ++i) {
      set += "SET @a" + std::to_string(i) + " = " + args[i] + "; ";
      use += (i ? ", @a" : "@a") + std::to_string(i);
    }
    return stack_.sql(set + "PREPARE s FROM " + literal(sql) + "; " + before + "EXECUTE s USING " + use + "; " +
                      after);
  }
  std::vector<PlanRow> explain(const std::string& sql, const std::vector<std::string>& args) {
    std::vector<PlanRow> plan;
    for (const auto& line : execute("EXPLAIN " + sql, args)) {
      const auto cells = split(line);  // id select_type table type possible_keys key ...
      if (cells.size() >= 6) plan.push_back({cells[2], cells[3], cells[5], line});
    }
    return plan;
  }
  // Every access to messages goes through a conversation index (the hits' primary-key join aside).
  void expectOnlyConversationIndexes(const std::vector<PlanRow>& plan, const std::set<std::string>& used) {
    const std::set<std::string> conversation{"ix_messages_dm", "ix_messages_dm_lo", "ix_messages_dm_hi",
                                             "ix_messages_group"};
    std::set<std::string> seen;
    for (const auto& row : plan) {
      std::cout << "  EXPLAIN  " << row.line << "\n";
      if (row.table != "messages" && row.table != "m") continue;
      EXPECT_NE(row.type, "ALL") << row.line;
      EXPECT_NE(row.type, "index") << row.line;
      const bool byHit = row.type == "eq_ref" && row.key == "PRIMARY";
      EXPECT_TRUE(byHit || conversation.count(row.key)) << row.line;
      if (!byHit) seen.insert(row.key);
    }
    EXPECT_EQ(seen, used);
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(SearchPlan, UsesOnlyConversationIndexesAndReadsOnlyTheCallersRows) {
  const TestUser low = api_.newUser("splan");  // a lower id: alice is dm_hi with this one
  const TestUser alice = api_.newUser("splan");
  const TestUser bob = api_.newUser("splan");
  const TestUser carol = api_.newUser("splan");
  const HttpResponse g = api_.http().post("/im/groups", "{\"name\":\"plan\",\"members\":[" + std::to_string(bob.id) + "]}",
                                          alice.token);
  ASSERT_EQ(g.status, 201) << g.body;
  const int64_t group = parseObject(g.body)->getValue<int64_t>("group_id");
  const std::string a = std::to_string(alice.id), b = std::to_string(bob.id), c = std::to_string(carol.id);
  const std::string l = std::to_string(low.id), gs = std::to_string(group);
  // 1 row in 100 alice's (direct with low / bob, or her group), the rest bob <-> carol.
  stack_.sql("INSERT INTO messages (sender_id, recipient_id, group_id, dm_lo, dm_hi, body, created_at) "
             "SELECT s, IF(grp IS NULL, r, NULL), grp, IF(grp IS NULL, LEAST(s, r), NULL), "
             "IF(grp IS NULL, GREATEST(s, r), NULL), CONCAT('filler text ', seq), UTC_TIMESTAMP(3) FROM ("
             "SELECT seq, IF(seq % 300 = 0, " + gs + ", NULL) AS grp, "
             "IF(seq % 100 = 0, " + a + ", " + b + ") AS s, "
             "IF(seq % 100 <> 0, " + c + ", IF(seq % 200 = 0, " + l + ", " + b + ")) AS r "
             "FROM seq_1_to_" + std::to_string(kRows) + ") t; ANALYZE TABLE messages, group_members");
  const long long callers = stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE dm_lo = " + a + " OR dm_hi = " + a +
                                            " OR group_id = " + gs);
  ASSERT_GE(callers, kRows / 100);
  ASSERT_GE(stack_.sqlCount("SELECT COUNT(*) FROM messages"), kRows);

  const std::string nohit = "'%zqxj-no-hit%'", limit = "21";
  // Over the whole id range (the store walks it in windows; each row is read in one of them).
  const std::vector<std::string> everywhere{a, "0", kMaxId, nohit, limit, a, "0", kMaxId, nohit, limit,
                                            a, "0", kMaxId, nohit, limit, limit};
  std::cout << "everywhere:\n";
  expectOnlyConversationIndexes(
      explain(fcgi::SearchStore::everywhereSql(), everywhere),
      {"ix_messages_dm_lo", "ix_messages_dm_hi", "ix_messages_group"});
  std::cout << "direct:\n";
  expectOnlyConversationIndexes(explain(fcgi::SearchStore::directSql(), {a, b, kMaxId, nohit, limit}),
                                {"ix_messages_dm"});
  std::cout << "group:\n";
  expectOnlyConversationIndexes(explain(fcgi::SearchStore::groupSql(), {gs, kMaxId, nohit, limit}),
                                {"ix_messages_group"});

  // The real statement with a query that matches nothing reads every row of alice's, no more.
  const auto status = execute(fcgi::SearchStore::everywhereSql(), everywhere,
                              "FLUSH STATUS; ", "SHOW SESSION STATUS LIKE 'Handler_read%'");
  long long reads = 0;
  for (const auto& line : status) {
    const auto cells = split(line);
    if (cells.size() == 2 && cells[0].rfind("Handler_read", 0) == 0) reads += std::stoll(cells[1]);
  }
  std::cout << "no-hit search: " << reads << " handler reads; the caller has " << callers << " of "
            << kRows << "+ messages\n";
  EXPECT_GE(reads, callers);
  EXPECT_LE(reads, 2 * callers + 50);

  // Through nginx, the store's walk in id windows returns exactly alice's matching rows, newest
  // first, page after page (her rows are spread over all 60,000 ids: several windows).
  std::vector<int64_t> expected;
  for (const auto& row : stack_.sql("SELECT id FROM messages WHERE (dm_lo = " + a + " OR dm_hi = " + a +
                                    " OR group_id = " + gs + ") AND body LIKE 'filler text %' ORDER BY id DESC")) {
    expected.push_back(std::stoll(row));
  }
  std::vector<int64_t> seen;
  std::string before;
  for (int round = 0; round < 100; ++round) {
    const Found page = found(search(api_.http(), alice, "FILLER Text", "&limit=100" + before));
    seen.insert(seen.end(), page.ids.begin(), page.ids.end());
    if (!page.more) break;
    before = "&before=" + std::to_string(page.ids.back());
  }
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(found(search(api_.http(), alice, "zqxj-no-hit")).ids.empty());
}

}  // namespace
}  // namespace im::test
