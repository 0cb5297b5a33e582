// SPDX-License-Identifier: MIT
// GroupMigrationTest.cc - sql/migrate.sh on a database that holds groups of the old shape
// (0001 + 0002 only): 0003 makes each creator the owner (or, when the creator had left, the
// longest-standing member), keeps every old group public, and new groups private.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/Stack.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"

namespace im::test {
namespace {

namespace fs = std::filesystem;

class GroupMigration : public ::testing::Test {
 protected:
  void TearDown() override { mysql("DROP DATABASE IF EXISTS " + db_); }

  std::vector<std::string> connect() const {
    return {"--no-defaults", "--socket=" + stack_.varDir() + "/run/mysql.sock", "-uroot"};
  }
  std::string mysql(const std::string& query, const std::string& db = "") const {
    std::vector<std::string> argv{"mariadb"};
    for (const auto& a : connect()) argv.push_back(a);
    for (const std::string& a : std::vector<std::string>{"--batch", "--skip-column-names", "-e", query}) {
      argv.push_back(a);
    }
    if (!db.empty()) argv.push_back(db);
    const CommandResult r = runCommand(argv);
    if (r.exitCode != 0) throw std::runtime_error("SQL failed: " + query + "\n" + r.output);
    return r.output;
  }
  CommandResult migrate(const std::string& script) const {
    std::vector<std::string> argv{script};
    for (const auto& a : connect()) argv.push_back(a);
    argv.push_back(db_);
    return runCommand(argv);
  }

  Stack& stack_ = Stack::get();
  const std::string db_ = "im_old_" + std::to_string(::getpid());
};

TEST_F(GroupMigration, OldGroupsGetTheirCreatorAsOwnerAndStayPublic) {
  // The schema as it was before 0003: migrate.sh itself, with only the first two migrations.
  TempDir old("im-mig");
  const fs::path source = IM_SOURCE_DIR;
  fs::create_directories(fs::path(old.path()) / "sql/migrations");
  fs::copy(source / "sql/migrate.sh", fs::path(old.path()) / "sql/migrate.sh");
  for (const char* name : {"0001_init.sql", "0002_groups.sql"}) {
    fs::copy(source / "sql/migrations" / name, fs::path(old.path()) / "sql/migrations" / name);
  }
  mysql("CREATE DATABASE " + db_);
  const CommandResult before = migrate(old.path() + "/sql/migrate.sh");
  ASSERT_EQ(before.exitCode, 0) << before.output;

  // Group 1: alice's, all three joined at once. Group 2: bob's, but bob left; dave joined
  // before carol, though carol's row comes first in primary-key order.
  mysql("INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'alice', 'x', NOW(3)),"
        " (2, 'bob', 'x', NOW(3)), (3, 'carol', 'x', NOW(3)), (4, 'dave', 'x', NOW(3));"
        "INSERT INTO inbox_counters (user_id) VALUES (1), (2), (3), (4);"
        "INSERT INTO chat_groups (id, name, created_by, created_at) VALUES (1, 'ops', 1, '2026-01-01'),"
        " (2, 'orphan', 2, '2026-01-01');"
        "INSERT INTO group_members (group_id, user_id, joined_at) VALUES (1, 1, '2026-01-01'),"
        " (1, 2, '2026-01-01'), (1, 3, '2026-01-01'), (2, 3, '2026-01-03'), (2, 4, '2026-01-02');"
        "INSERT INTO messages (sender_id, group_id, body, created_at) VALUES (2, 1, 'old times', '2026-01-01')",
        db_);

  const CommandResult applied = migrate(source.string() + "/sql/migrate.sh");
  ASSERT_EQ(applied.exitCode, 0) << applied.output;
  EXPECT_NE(applied.output.find("0003_group_roles.sql"), std::string::npos) << applied.output;
  EXPECT_EQ(mysql("SELECT group_id, user_id, role FROM group_members ORDER BY group_id, user_id", db_),
            "1\t1\towner\n1\t2\tmember\n1\t3\tmember\n2\t3\tmember\n2\t4\towner\n");
  EXPECT_EQ(mysql("SELECT id, is_public FROM chat_groups ORDER BY id", db_), "1\t1\n2\t1\n");
  EXPECT_EQ(mysql("SELECT body, type IS NULL, target_id IS NULL, role IS NULL FROM messages", db_),
            "old times\t1\t1\t1\n");
  // Join order follows joined_at: dave before carol in group 2.
  EXPECT_EQ(mysql("SELECT user_id FROM group_members WHERE group_id = 2 ORDER BY join_order", db_), "4\n3\n");

  // From now on a group is private unless said otherwise, and a new member joins last.
  mysql("INSERT INTO chat_groups (id, name, created_by, created_at) VALUES (3, 'new', 1, NOW(3));"
        "INSERT INTO group_members (group_id, user_id, joined_at) VALUES (1, 4, NOW(3))",
        db_);
  EXPECT_EQ(mysql("SELECT is_public FROM chat_groups WHERE id = 3", db_), "0\n");
  EXPECT_EQ(mysql("SELECT user_id FROM group_members ORDER BY join_order DESC LIMIT 1", db_), "4\n");
  EXPECT_EQ(mysql("SELECT role FROM group_members WHERE group_id = 1 AND user_id = 4", db_), "member\n");

  // Idempotent: a second run applies nothing and changes nothing.
  const std::string rows = mysql("SELECT group_id, user_id, role, join_order FROM group_members ORDER BY 1, 2", db_);
  const CommandResult again = migrate(source.string() + "/sql/migrate.sh");
  ASSERT_EQ(again.exitCode, 0) << again.output;
  EXPECT_EQ(again.output.find("applying"), std::string::npos) << again.output;
  EXPECT_EQ(mysql("SELECT group_id, user_id, role, join_order FROM group_members ORDER BY 1, 2", db_), rows);
}

}  // namespace
}  // namespace im::test
