// SPDX-License-Identifier: MIT
// ConversationUpkeepTest.cc - fcgi/store/ConversationUpkeep on the real MariaDB, through the
// send that calls it: every participant's row in the send's own transaction, a 2000-member
// group in as many statements as a 3-member one.
#include "fcgi/store/ConversationUpkeep.h"

#include <chrono>
#include <iostream>
#include <vector>

#include "common/ApiError.h"
#include "fcgi/store/MessageStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using ConversationUpkeep = StoreFixture;

class ConversationUpkeepGroups : public StoreFixture {
 protected:
  // A group of `size` members (the owner included), users and memberships made in bulk as root.
  uint64_t bulkGroup(uint64_t owner, int size) {
    const std::string tag = uniqueName("b");
    stack_.sql("INSERT INTO users (username, password_hash, created_at) SELECT CONCAT('" + tag +
               "_', seq), 'h', NOW(3) FROM seq_1_to_" + std::to_string(size - 1));
    stack_.sql("INSERT INTO inbox_counters (user_id, last_seq) SELECT id, 0 FROM users WHERE username LIKE '" + tag +
               "\\_%'");
    stack_.sql("INSERT INTO chat_groups (name, created_by, created_at) VALUES ('" + tag + "', " + id(owner) + ", NOW(3))");
    const std::string gid = stack_.sql("SELECT id FROM chat_groups WHERE name = '" + tag + "'").at(0);
    stack_.sql("INSERT INTO group_members (group_id, user_id, joined_at) SELECT " + gid +
               ", id, NOW(3) FROM users WHERE username LIKE '" + tag + "\\_%' OR id = " + id(owner));
    return std::stoull(gid);
  }
  long long statementsExecuted() const {
    const auto row = stack_.sql("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'").at(0);
    return std::stoll(row.substr(row.find('\t') + 1));
  }
};

TEST_F(ConversationUpkeep, ADirectSendUpdatesBothSidesAndCountsUnreadForTheRecipientOnly) {
  fcgi::MessageStore messages(db_);
  const uint64_t alice = newUser("alice"), bob = newUser("bob");
  messages.send(message(alice, bob, 0, "one"));
  const uint64_t last = messages.send(message(alice, bob, 0, "two")).message.msgId;
  EXPECT_EQ(stack_.sql("SELECT target_id, last_msg_id, unread FROM conversations WHERE user_id = " + id(bob)),
            std::vector<std::string>{id(alice) + "\t" + id(last) + "\t2"});
  EXPECT_EQ(stack_.sql("SELECT target_id, last_msg_id, unread FROM conversations WHERE user_id = " + id(alice)),
            std::vector<std::string>{id(bob) + "\t" + id(last) + "\t0"});
  // A note to self is one row naming its writer, never unread.
  const uint64_t note = messages.send(message(alice, alice, 0, "me")).message.msgId;
  EXPECT_EQ(stack_.sql("SELECT last_msg_id, unread FROM conversations WHERE user_id = " + id(alice) +
                       " AND target_id = " + id(alice)),
            std::vector<std::string>{id(note) + "\t0"});
}

TEST_F(ConversationUpkeep, AFailedSendLeavesNoConversationBehind) {
  fcgi::MessageStore messages(db_);
  const uint64_t alice = newUser("alice");
  EXPECT_THROW(messages.send(message(alice, UINT64_MAX, 0, "void")), common::ApiError);
  EXPECT_EQ(count("SELECT COUNT(*) FROM conversations WHERE user_id = " + id(alice)), 0);
}

// The fan-out cost is bounded: the conversation rows of 2000 members are one INSERT ... SELECT.
TEST_F(ConversationUpkeepGroups, AGroupOf2000CostsTheStatementsOfAGroupOf3) {
  fcgi::MessageStore messages(db_);
  const uint64_t owner = newUser("owner");
  const uint64_t small = bulkGroup(owner, 3);
  const uint64_t big = bulkGroup(owner, 2000);
  messages.send(message(owner, 0, small, "warm"));  // statements prepared once per connection
  messages.send(message(owner, 0, big, "warm"));

  long long before = statementsExecuted();
  messages.send(message(owner, 0, small, "to three"));
  const long long forSmall = statementsExecuted() - before;
  before = statementsExecuted();
  const auto started = std::chrono::steady_clock::now();
  const uint64_t msgId = messages.send(message(owner, 0, big, "to two thousand")).message.msgId;
  const auto took = std::chrono::steady_clock::now() - started;
  const long long forBig = statementsExecuted() - before;
  EXPECT_EQ(forSmall, forBig);
  std::cout << "2000-member group send: " << forBig << " statements, "
            << std::chrono::duration_cast<std::chrono::microseconds>(took).count() << " us\n";

  const std::string rows = "SELECT COUNT(*) FROM conversations WHERE kind = 'group' AND target_id = " + id(big);
  EXPECT_EQ(count(rows + " AND last_msg_id = " + id(msgId)), 2000);
  EXPECT_EQ(count(rows + " AND unread = 2 AND user_id <> " + id(owner)), 1999);
  EXPECT_EQ(count(rows + " AND unread = 0 AND user_id = " + id(owner)), 1);
}

}  // namespace
}  // namespace im::test
