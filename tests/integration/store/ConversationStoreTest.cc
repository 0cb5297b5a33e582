// SPDX-License-Identifier: MIT
// ConversationStoreTest.cc - fcgi/store/ConversationStore on the real MariaDB: the list's plan
// reads the caller's rows along ix_conversations_recent with no sort and joins by key only.
#include "fcgi/store/ConversationStore.h"

#include <string>

#include "fcgi/store/MessageStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using ConversationStore = StoreFixture;

// The list's SQL with its three parameters (uid, uid, limit) written in.
std::string listSqlFor(uint64_t uid, int limit) {
  std::string sql = fcgi::ConversationStore::kListSql;
  for (const std::string& value : {std::to_string(uid), std::to_string(uid), std::to_string(limit)}) {
    sql.replace(sql.find('?'), 1, value);
  }
  return sql;
}

TEST_F(ConversationStore, TheListReadsTheRecentIndexWithoutSortingAndJoinsByKey) {
  fcgi::MessageStore messages(db_);
  const uint64_t me = newUser("me");
  for (int i = 0; i < 5; ++i) messages.send(message(newUser("peer"), me, 0, "hi"));
  const auto plan = stack_.sql("EXPLAIN " + listSqlFor(me, 50));
  ASSERT_FALSE(plan.empty());
  EXPECT_NE(plan[0].find("\tc\t"), std::string::npos) << plan[0];
  EXPECT_NE(plan[0].find("ix_conversations_recent"), std::string::npos) << plan[0];
  for (const auto& row : plan) {
    EXPECT_EQ(row.find("filesort"), std::string::npos) << row;
    EXPECT_EQ(row.find("temporary"), std::string::npos) << row;
    EXPECT_EQ(row.find("\tALL\t"), std::string::npos) << "a table scan: " << row;
  }
  fcgi::ConversationStore conversations(db_);
  const auto listed = conversations.list(me, 3);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_GT(listed[0].last.msgId, listed[1].last.msgId);
  EXPECT_GT(listed[1].last.msgId, listed[2].last.msgId);
  EXPECT_EQ(listed[0].unread, 1u);
}

}  // namespace
}  // namespace im::test
