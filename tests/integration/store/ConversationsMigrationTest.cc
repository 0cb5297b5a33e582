// SPDX-License-Identifier: MIT
// ConversationsMigrationTest.cc - sql/migrations/0004_conversations.sql on a database with
// history: its backfill builds the rows that ConversationUpkeep maintains message by message,
// so existing users find their conversations (nothing read, nothing claimed delivered).
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "fcgi/store/MessageStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using ConversationsMigration = StoreFixture;

// The migration's statements with their target table renamed, so they run beside the live one.
std::string backfillInto(const std::string& table) {
  std::ifstream in(std::string(IM_SOURCE_DIR) + "/sql/migrations/0004_conversations.sql");
  std::stringstream text;
  text << in.rdbuf();
  const std::string sql = text.str();
  if (sql.empty()) throw std::runtime_error("cannot read 0004_conversations.sql");
  return std::regex_replace(sql, std::regex(R"(\bconversations\b)"), table);
}

TEST_F(ConversationsMigration, TheBackfillRebuildsTheMaintainedRows) {
  fcgi::MessageStore messages(db_);
  const uint64_t alice = newUser("alice"), bob = newUser("bob"), carol = newUser("carol");
  messages.send(message(alice, bob, 0, "1"));
  messages.send(message(bob, alice, 0, "2"));
  messages.send(message(alice, bob, 0, "3"));
  messages.send(message(carol, carol, 0, "note"));
  stack_.sql("INSERT INTO chat_groups (name, created_by, created_at) VALUES ('m', " + id(alice) + ", NOW(3))");
  const std::string gid = stack_.sql("SELECT MAX(id) FROM chat_groups WHERE created_by = " + id(alice)).at(0);
  stack_.sql("INSERT INTO group_members (group_id, user_id, joined_at) VALUES (" + gid + ", " + id(alice) + ", NOW(3)), (" +
             gid + ", " + id(carol) + ", NOW(3))");
  messages.send(message(alice, 0, std::stoull(gid), "g1"));
  messages.send(message(carol, 0, std::stoull(gid), "g2"));

  stack_.sql("DROP TABLE IF EXISTS conversations_backfill");
  stack_.sql(backfillInto("conversations_backfill"));
  const std::string mine = " WHERE user_id IN (" + id(alice) + ", " + id(bob) + ", " + id(carol) + ") ORDER BY 1, 2, 3";
  const std::string columns = "SELECT user_id, kind, target_id, last_msg_id, read_msg_id, delivered_msg_id, unread FROM ";
  const auto maintained = stack_.sql(columns + "conversations" + mine);
  EXPECT_EQ(maintained.size(), 5u) << "alice-bob from each side, carol's note, the group for alice and carol";
  EXPECT_EQ(stack_.sql(columns + "conversations_backfill" + mine), maintained);
  stack_.sql("DROP TABLE conversations_backfill");
}

}  // namespace
}  // namespace im::test
