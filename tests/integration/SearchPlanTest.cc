// SPDX-License-Identifier: MIT
// SearchPlanTest.cc - the search statements' plans on a table where the optimizer's choice is
// real (60,000 rows, 1 in 100 the caller's): EXPLAIN of the exact text SearchStore prepares shows
// only the conversation indexes, never a scan of messages, and a search that finds nothing reads
// about as many rows as the caller has messages, not the table.
#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <stdexcept>
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

  // alice's 1 row in 100 of kRows (direct with `low`, on her dm_hi side, and bob, on her dm_lo
  // side, or her group), the rest bob <-> carol. Once per binary: the rows are the point.
  static void SetUpTestSuite() {
    Stack& stack = Stack::get();
    ImClient api(stack.http());
    const TestUser low = api.newUser("splan");
    alice_ = api.newUser("splan");
    const TestUser bob = api.newUser("splan"), carol = api.newUser("splan");
    const HttpResponse g =
        api.http().post("/im/groups", "{\"name\":\"plan\",\"members\":[" + std::to_string(bob.id) + "]}", alice_.token);
    if (g.status != 201) throw std::runtime_error("create group: " + g.body);
    a_ = std::to_string(alice_.id), b_ = std::to_string(bob.id);
    group_ = std::to_string(parseObject(g.body)->getValue<int64_t>("group_id"));
    stack.sql("INSERT INTO messages (sender_id, recipient_id, group_id, dm_lo, dm_hi, body, created_at) "
              "SELECT s, IF(grp IS NULL, r, NULL), grp, IF(grp IS NULL, LEAST(s, r), NULL), "
              "IF(grp IS NULL, GREATEST(s, r), NULL), CONCAT('filler text ', seq), UTC_TIMESTAMP(3) FROM ("
              "SELECT seq, IF(seq % 300 = 0, " + group_ + ", NULL) AS grp, IF(seq % 100 = 0, " + a_ + ", " + b_ +
              ") AS s, IF(seq % 100 <> 0, " + std::to_string(carol.id) + ", IF(seq % 200 = 0, " +
              std::to_string(low.id) + ", " + b_ + ")) AS r FROM seq_1_to_" + std::to_string(kRows) +
              ") t; ANALYZE TABLE messages, group_members");
    callers_ = stack.sqlCount(whereAlices("SELECT COUNT(*)"));
  }
  static std::string whereAlices(const std::string& select) {
    return select + " FROM messages WHERE dm_lo = " + a_ + " OR dm_hi = " + a_ + " OR group_id = " + group_;
  }
  // The everywhere statement's arguments over the whole id range (the store walks it in windows;
  // each row is read in one of them), for a q that matches nothing.
  static std::vector<std::string> everywhereMiss() {
    std::vector<std::string> args;
    for (int part = 0; part < 3; ++part) args.insert(args.end(), {a_, "0", kMaxId, kNoHit, kLimit});
    args.push_back(kLimit);
    return args;
  }

  static constexpr const char* kNoHit = "'%zqxj-no-hit%'";
  static constexpr const char* kLimit = "21";
  static inline TestUser alice_;
  static inline std::string a_, b_, group_;
  static inline long long callers_ = 0;
  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(SearchPlan, ExplainShowsOnlyConversationIndexesNeverAScanOfMessages) {
  ASSERT_GE(callers_, kRows / 100);
  ASSERT_GE(stack_.sqlCount("SELECT COUNT(*) FROM messages"), kRows);
  std::cout << "everywhere:\n";
  expectOnlyConversationIndexes(explain(fcgi::SearchStore::everywhereSql(), everywhereMiss()),
                                {"ix_messages_dm_lo", "ix_messages_dm_hi", "ix_messages_group"});
  std::cout << "direct:\n";
  expectOnlyConversationIndexes(explain(fcgi::SearchStore::directSql(), {a_, b_, kMaxId, kNoHit, kLimit}),
                                {"ix_messages_dm"});
  std::cout << "group:\n";
  expectOnlyConversationIndexes(explain(fcgi::SearchStore::groupSql(), {group_, kMaxId, kNoHit, kLimit}),
                                {"ix_messages_group"});
}

TEST_F(SearchPlan, AMissReadsTheCallersRowsNotTheTable) {
  const auto status = execute(fcgi::SearchStore::everywhereSql(), everywhereMiss(), "FLUSH STATUS; ",
                              "SHOW SESSION STATUS LIKE 'Handler_read%'");
  long long reads = 0;
  for (const auto& line : status) {
    const auto cells = split(line);
    if (cells.size() == 2 && cells[0].rfind("Handler_read", 0) == 0) reads += std::stoll(cells[1]);
  }
  std::cout << "no-hit search: " << reads << " handler reads; the caller has " << callers_ << " of " << kRows
            << "+ messages\n";
  EXPECT_GE(reads, callers_);
  EXPECT_LE(reads, 2 * callers_ + 50);
}

// Through nginx, the walk in id windows returns exactly alice's matching rows, newest first, page
// after page (her rows are spread over all kRows ids: several windows).
TEST_F(SearchPlan, PagesThroughEveryIdWindow) {
  std::vector<int64_t> expected;
  const std::string mine = whereAlices("SELECT id, body");
  for (const auto& row :
       stack_.sql("SELECT id FROM (" + mine + ") t WHERE body LIKE 'filler text %' ORDER BY id DESC")) {
    expected.push_back(std::stoll(row));
  }
  ASSERT_EQ(expected.size(), static_cast<size_t>(kRows / 100));
  std::vector<int64_t> seen;
  std::string before;
  for (int round = 0; round < 100; ++round) {
    const Found page = found(search(api_.http(), alice_, "FILLER Text", "&limit=100" + before));
    seen.insert(seen.end(), page.ids.begin(), page.ids.end());
    if (!page.more) break;
    before = "&before=" + std::to_string(page.ids.back());
  }
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(found(search(api_.http(), alice_, "zqxj-no-hit")).ids.empty());
}

}  // namespace
}  // namespace im::test
