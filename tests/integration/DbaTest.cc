// SPDX-License-Identifier: MIT
// DbaTest.cc - issue 13, for DBAs: every query of sql/README.md's sql blocks is planned on an
// index (no full scan of messages, inbox or sessions) on tables large enough that the
// optimizer's choice is real; the read-only account reads the views but no password or token hash.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/Stack.h"

namespace im::test {
namespace {

constexpr int kUsers = 60;
constexpr int kMessages = 40000;  // a month at one a minute, a third of them to 20 groups

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The statements of every ```sql block of the file, comments dropped.
std::vector<std::string> readmeStatements() {
  const std::string text = readFile(std::string(IM_SOURCE_DIR) + "/sql/README.md");
  std::vector<std::string> statements;
  const std::regex block("```sql\n([\\s\\S]*?)```");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), block); it != std::sregex_iterator(); ++it) {
    std::istringstream lines((*it)[1].str());
    std::string line, current;
    while (std::getline(lines, line)) {
      if (line.rfind("--", 0) == 0) continue;
      current += line + "\n";
      if (!line.empty() && line.back() == ';') {
        statements.push_back(current);
        current.clear();
      }
    }
  }
  return statements;
}

std::vector<std::string> split(const std::string& row) {
  std::vector<std::string> cells;
  std::istringstream in(row);
  for (std::string cell; std::getline(in, cell, '\t');) cells.push_back(cell);
  return cells;
}

class Dba : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Stack& s = Stack::get();
    s.sql("INSERT INTO users (id, username, password_hash, created_at) SELECT seq, CONCAT('dba_', seq), 'x', "
          "'2026-01-01' FROM seq_1_to_" + std::to_string(kUsers));
    s.sql("INSERT INTO chat_groups (id, name, created_by, created_at) SELECT seq, CONCAT('g', seq), 1, '2026-01-01' "
          "FROM seq_1_to_20");
    s.sql("INSERT INTO group_members (group_id, user_id, joined_at) SELECT 1 + seq % 20, 1 + (seq DIV 20) % 60, '2026-01-01' "
          "FROM seq_0_to_599");
    // Direct messages between user pairs (1 -> 2 every hour), every third one to a group, one a minute.
    s.sql("INSERT INTO messages (id, sender_id, recipient_id, group_id, dm_lo, dm_hi, body, created_at) "
          "SELECT seq, 1 + seq % 60, IF(seq % 3 = 1, NULL, 1 + (seq * 7 + 1) % 60), IF(seq % 3 = 1, 1 + seq % 20, NULL), "
          "IF(seq % 3 = 1, NULL, LEAST(1 + seq % 60, 1 + (seq * 7 + 1) % 60)), "
          "IF(seq % 3 = 1, NULL, GREATEST(1 + seq % 60, 1 + (seq * 7 + 1) % 60)), IF(seq % 97 = 0, CONCAT('a Needle ', seq), CONCAT('m', seq)), "
          "'2026-01-01' + INTERVAL seq MINUTE FROM seq_1_to_" + std::to_string(kMessages));
    s.sql("INSERT INTO inbox (user_id, seq, msg_id) SELECT 1 + seq % 60, 1 + seq DIV 60, seq FROM seq_1_to_" +
          std::to_string(kMessages));
    s.sql("INSERT INTO sessions (user_id, token_hash, device, created_at, last_used_at, revoked_at) "
          "SELECT 1 + seq % 60, UNHEX(SHA2(CONCAT('dba', seq), 256)), CONCAT('d', seq), '2026-01-01', '2026-01-02', "
          "IF(seq % 2 = 0, '2026-01-03', NULL) FROM seq_1_to_3000");
    s.sql("ANALYZE TABLE messages, inbox, sessions, group_members, chat_groups, users");
  }

  Stack& stack_ = Stack::get();
};

TEST_F(Dba, EveryReadmeQueryIsPlannedOnAnIndex) {
  const auto statements = readmeStatements();
  ASSERT_GE(statements.size(), 7u) << "the README's sql blocks were not found";
  const std::set<std::string> guarded{"messages", "inbox", "sessions", "m"};  // m: messages in v_group_history
  for (const std::string& statement : statements) {
    EXPECT_FALSE(stack_.sql(statement).empty() && statement.find("sessions") == std::string::npos)
        << "the query finds nothing in the test data, so its plan proves little:\n" << statement;
    const auto plan = stack_.sql("EXPLAIN " + statement);
    bool readsGuarded = false;
    for (const std::string& row : plan) {
      const auto cells = split(row);  // id select_type table type possible_keys key ... rows Extra
      ASSERT_GE(cells.size(), 6u) << row;
      if (!guarded.count(cells[2])) continue;
      readsGuarded = true;
      EXPECT_TRUE(cells[3] != "ALL" && cells[3] != "index") << "full scan of " << cells[2] << ":\n"
                                                            << statement << "plan row: " << row;
      EXPECT_NE(cells[5], "NULL") << "no index on " << cells[2] << ":\n" << statement << "plan row: " << row;
    }
    if (statement.find("group_members") == std::string::npos) {
      EXPECT_TRUE(readsGuarded) << "no plan row for the table it reads:\n" << statement;
    }
  }
}

TEST_F(Dba, TheReadOnlyAccountReadsTheViewsButNoHash) {
  const std::string secrets = readFile(stack_.varDir() + "/secrets");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(secrets, m, std::regex("mysql\\.readonly_password=([0-9a-f]+)")));
  auto as = [&](const std::string& query) {
    return runCommand({"mariadb", "--no-defaults", "--socket=" + stack_.varDir() + "/run/mysql.sock", "-uim_readonly",
                       "-p" + m[1].str(), "--batch", "--skip-column-names", "im", "-e", query});
  };
  const CommandResult count = as("SELECT COUNT(*) FROM v_direct_history");
  ASSERT_EQ(count.exitCode, 0) << count.output;
  EXPECT_GT(std::stoll(count.output), 0);
  EXPECT_EQ(as("SELECT COUNT(*) FROM v_group_history").exitCode, 0);
  EXPECT_EQ(as("SELECT pending FROM v_inbox_backlog WHERE user_id = 1").exitCode, 0);
  EXPECT_EQ(as("SELECT id, username FROM users LIMIT 1").exitCode, 0);
  EXPECT_EQ(as("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL").exitCode, 0) << "0010's column";
  EXPECT_NE(as("SELECT password_hash FROM users LIMIT 1").exitCode, 0);
  EXPECT_NE(as("SELECT token_hash FROM sessions LIMIT 1").exitCode, 0);
  EXPECT_NE(as("DELETE FROM inbox WHERE user_id = 1").exitCode, 0);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM inbox WHERE user_id = 1"), kMessages / kUsers);
}

TEST_F(Dba, ThePasswordIsNotInGit) {
  const std::string migration = readFile(std::string(IM_SOURCE_DIR) + "/sql/migrations/0006_dba.sql");
  const std::string secrets = readFile(stack_.varDir() + "/secrets");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(secrets, m, std::regex("mysql\\.readonly_password=([0-9a-f]+)")));
  EXPECT_EQ(migration.find(m[1].str()), std::string::npos);
  EXPECT_FALSE(std::regex_search(migration, std::regex("IDENTIFIED BY '[A-Za-z0-9]")))
      << "a literal password in the migration";
}

}  // namespace
}  // namespace im::test
