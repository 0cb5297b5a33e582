// SPDX-License-Identifier: MIT
// HistoryStoreTest.cc - fcgi/store/HistoryStore on the real MariaDB: a conversation newest first,
// keyset pages by `before`, `more` exact at the boundary, other conversations never mixed in.
#include "fcgi/store/HistoryStore.h"

#include "fcgi/store/MessageStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using HistoryStore = StoreFixture;

TEST_F(HistoryStore, PagesADirectConversationNewestFirst) {
  fcgi::MessageStore messages(db_);
  const uint64_t alice = newUser("alice"), bob = newUser("bob"), carol = newUser("carol");
  std::vector<uint64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(messages.send(message(i % 2 ? bob : alice, i % 2 ? alice : bob, 0, "m" + std::to_string(i)))
                      .message.msgId);
    messages.send(message(alice, carol, 0, "elsewhere"));  // another conversation, interleaved
  }
  fcgi::HistoryStore history(db_);
  const auto first = history.direct(bob, alice, std::nullopt, 3);  // either order of the two ids
  ASSERT_EQ(first.messages.size(), 3u);
  EXPECT_TRUE(first.more);
  EXPECT_EQ(first.messages[0].msgId, ids[4]);
  EXPECT_EQ(first.messages[0].body, "m4");
  EXPECT_EQ(first.messages[2].msgId, ids[2]);
  const auto rest = history.direct(alice, bob, first.messages.back().msgId, 3);
  ASSERT_EQ(rest.messages.size(), 2u);
  EXPECT_FALSE(rest.more) << "exactly the last page must say there is no more";
  EXPECT_EQ(rest.messages[0].msgId, ids[1]);
  EXPECT_EQ(rest.messages[1].msgId, ids[0]);
  EXPECT_EQ(rest.messages[1].fromName.empty(), false);
}

TEST_F(HistoryStore, AnEmptyConversationHasNoMessagesAndNoMore) {
  fcgi::HistoryStore history(db_);
  const auto page = history.direct(newUser("a"), newUser("b"), std::nullopt, 50);
  EXPECT_TRUE(page.messages.empty());
  EXPECT_FALSE(page.more);
}

}  // namespace
}  // namespace im::test
