// SPDX-License-Identifier: MIT
// SendBatchTest.cc - fcgi/store/SendBatch through MessageStore::sendBatch on the real MariaDB:
// several sends at once store what the same sends one by one would, in batch order, and every
// refusal among them is what send() alone answers.
#include "fcgi/store/SendBatch.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/ApiError.h"
#include "fcgi/store/MessageStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

// The sends the batch tests store: (from, to) as indexes into a list of users; the last one is a
// note to self.
const std::vector<std::pair<size_t, size_t>> kChat = {{0, 1}, {1, 0}, {0, 2}, {2, 1}, {0, 1}, {1, 1}};

class MessageStoreBatch : public StoreFixture {
 protected:
  std::vector<uint64_t> users(size_t n) {
    std::vector<uint64_t> out;
    for (size_t i = 0; i < n; ++i) out.push_back(newUser("b"));
    return out;
  }
  std::vector<common::Message> chat(const std::vector<uint64_t>& u) const {
    std::vector<common::Message> out;
    for (const auto& [from, to] : kChat) out.push_back(message(u[from], u[to], 0, "m" + std::to_string(out.size())));
    return out;
  }
  static std::vector<uint64_t> idsOf(const std::vector<fcgi::SendOutcome>& outcomes) {
    std::vector<uint64_t> ids;
    for (const auto& o : outcomes) ids.push_back(o.result ? o.result->message.msgId : 0);
    return ids;
  }
  // `uid`'s inbox in seq order as "seq:i", i the position in `ids` of the row's message.
  std::vector<std::string> inboxView(uint64_t uid, const std::vector<uint64_t>& ids) const {
    std::vector<std::string> out;
    for (const auto& row : stack_.sql("SELECT CONCAT(seq, ':', msg_id) FROM inbox WHERE user_id = " + id(uid) +
                                      " ORDER BY seq")) {
      const uint64_t msg = std::stoull(row.substr(row.find(':') + 1));
      out.push_back(row.substr(0, row.find(':')) + ":" + position(ids, msg));
    }
    return out;
  }
  // `uid`'s direct conversations as "peer unread last", peer by its index in `u`, last by its
  // position in `ids`.
  std::vector<std::string> conversationView(uint64_t uid, const std::vector<uint64_t>& u,
                                            const std::vector<uint64_t>& ids) const {
    std::vector<std::string> out;
    for (const auto& row : stack_.sql("SELECT CONCAT(target_id, ' ', unread, ' ', last_msg_id) FROM conversations "
                                      "WHERE kind = 'direct' AND user_id = " + id(uid))) {
      const size_t a = row.find(' '), b = row.rfind(' ');
      out.push_back(position(u, std::stoull(row.substr(0, a))) + row.substr(a, b - a + 1) +
                    position(ids, std::stoull(row.substr(b + 1))));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string position(const std::vector<uint64_t>& v, uint64_t x) {
    return std::to_string(std::find(v.begin(), v.end(), x) - v.begin());
  }
};

TEST_F(MessageStoreBatch, ABatchNumbersEveryInboxInBatchOrderWithoutGaps) {
  fcgi::MessageStore messages(db_);
  const auto u = users(3);
  const auto outcomes = messages.sendBatch(chat(u));
  ASSERT_EQ(outcomes.size(), kChat.size());
  const auto ids = idsOf(outcomes);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].result) << "send " << i << " failed";
    EXPECT_FALSE(outcomes[i].result->duplicate);
    EXPECT_EQ(outcomes[i].result->recipients.size(), kChat[i].first == kChat[i].second ? 1u : 2u);
    for (const auto& r : outcomes[i].result->recipients) {  // the seqs it answers are the stored ones
      EXPECT_EQ(count("SELECT COUNT(*) FROM inbox WHERE user_id = " + id(r.uid) + " AND seq = " + id(r.seq) +
                      " AND msg_id = " + id(ids[i])), 1);
    }
    if (i > 0) {
      EXPECT_GT(ids[i], ids[i - 1]) << "message ids follow batch order";
    }
  }
  EXPECT_EQ(inboxView(u[0], ids), (std::vector<std::string>{"1:0", "2:1", "3:2", "4:4"}));
  EXPECT_EQ(inboxView(u[1], ids), (std::vector<std::string>{"1:0", "2:1", "3:3", "4:4", "5:5"}));
  EXPECT_EQ(inboxView(u[2], ids), (std::vector<std::string>{"1:2", "2:3"}));
}

TEST_F(MessageStoreBatch, ABatchLeavesWhatTheSameSendsOneByOneLeave) {
  fcgi::MessageStore messages(db_);
  const auto alone = users(3), together = users(3);
  std::vector<uint64_t> aloneIds;
  for (const auto& m : chat(alone)) aloneIds.push_back(messages.send(m).message.msgId);
  const auto togetherIds = idsOf(messages.sendBatch(chat(together)));
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(inboxView(together[k], togetherIds), inboxView(alone[k], aloneIds)) << "user " << k;
    EXPECT_EQ(conversationView(together[k], together, togetherIds), conversationView(alone[k], alone, aloneIds))
        << "user " << k;
  }
  // user 1: with 0 (sends 0, 1, 4; 0 and 4 unread), with itself (5, read), with 2 (3, unread)
  EXPECT_EQ(conversationView(together[1], together, togetherIds), (std::vector<std::string>{"0 2 4", "1 0 5", "2 1 3"}));
}

TEST_F(MessageStoreBatch, AnUnknownRecipientIsNotFoundAndTheOthersAreStored) {
  fcgi::MessageStore messages(db_);
  const auto u = users(2);
  const auto outcomes = messages.sendBatch(
      {message(u[0], u[1], 0, "one"), message(u[0], UINT64_MAX, 0, "into the void"), message(u[1], u[0], 0, "two")});
  ASSERT_EQ(outcomes.size(), 3u);
  ASSERT_TRUE(outcomes[1].error);
  EXPECT_FALSE(outcomes[1].result);
  EXPECT_EQ(outcomes[1].error->code(), common::ErrorCode::NotFound);
  ASSERT_TRUE(outcomes[0].result && outcomes[2].result);
  const auto ids = idsOf(outcomes);
  EXPECT_EQ(inboxView(u[0], ids), (std::vector<std::string>{"1:0", "2:2"}));
  EXPECT_EQ(inboxView(u[1], ids), (std::vector<std::string>{"1:0", "2:2"}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages WHERE sender_id = " + id(u[0])), 1);
}

TEST_F(MessageStoreBatch, AClientMsgIdAlreadyStoredComesBackAsTheFirstMessage) {
  fcgi::MessageStore messages(db_);
  const auto u = users(2);
  const auto first = messages.send(message(u[0], u[1], 0, "first words", "cmid-1"));
  const auto outcomes = messages.sendBatch({message(u[0], u[1], 0, "new", "cmid-2"),
                                            message(u[0], u[1], 0, "a different retry body", "cmid-1"),
                                            message(u[1], u[0], 0, "reply")});
  ASSERT_TRUE(outcomes[0].result && outcomes[1].result && outcomes[2].result);
  EXPECT_FALSE(outcomes[0].result->duplicate);
  EXPECT_TRUE(outcomes[1].result->duplicate);
  EXPECT_EQ(outcomes[1].result->message.msgId, first.message.msgId);
  EXPECT_EQ(outcomes[1].result->message.body, "first words");
  EXPECT_FALSE(outcomes[2].result->duplicate);
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages WHERE sender_id = " + id(u[0])), 2);
  const std::vector<uint64_t> ids{first.message.msgId, outcomes[0].result->message.msgId,
                                  outcomes[2].result->message.msgId};
  EXPECT_EQ(inboxView(u[1], ids), (std::vector<std::string>{"1:0", "2:1", "3:2"}));
}

TEST_F(MessageStoreBatch, OneClientMsgIdTwiceInABatchIsStoredOnce) {
  fcgi::MessageStore messages(db_);
  const auto u = users(2);
  const auto outcomes = messages.sendBatch({message(u[0], u[1], 0, "x", "cmid-3"),
                                            message(u[0], u[1], 0, "y", "cmid-3"), message(u[1], u[0], 0, "z")});
  ASSERT_TRUE(outcomes[0].result && outcomes[1].result && outcomes[2].result);
  EXPECT_FALSE(outcomes[0].result->duplicate);
  EXPECT_TRUE(outcomes[1].result->duplicate);
  EXPECT_EQ(outcomes[1].result->message.msgId, outcomes[0].result->message.msgId);
  EXPECT_EQ(outcomes[1].result->message.body, "x");
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages WHERE sender_id = " + id(u[0])), 1);
  EXPECT_EQ(inboxRows(u[1]), 2);
}

TEST_F(MessageStoreBatch, EveryKindOfRefusalInOneBatchAndTheOthersInOrder) {
  fcgi::MessageStore messages(db_);
  const auto u = users(2);
  const auto first = messages.send(message(u[0], u[1], 0, "first words", "k1"));
  const auto outcomes = messages.sendBatch(
      {message(u[0], u[1], 0, "g0"), message(u[0], UINT64_MAX, 0, "nobody"), message(u[0], u[1], 0, "retry", "k1"),
       message(u[1], u[0], 0, "g1"), message(u[0], u[1], 0, "x", "k2"), message(u[0], u[1], 0, "y", "k2"),
       message(u[1], u[0], 0, "g2")});
  ASSERT_EQ(outcomes.size(), 7u);
  ASSERT_TRUE(outcomes[1].error);
  EXPECT_EQ(outcomes[1].error->code(), common::ErrorCode::NotFound);
  for (const size_t i : {0, 2, 3, 4, 5, 6}) ASSERT_TRUE(outcomes[i].result) << "send " << i;
  EXPECT_EQ(outcomes[2].result->message.msgId, first.message.msgId);
  EXPECT_TRUE(outcomes[2].result->duplicate);
  EXPECT_FALSE(outcomes[4].result->duplicate);
  EXPECT_TRUE(outcomes[5].result->duplicate);
  EXPECT_EQ(outcomes[5].result->message.msgId, outcomes[4].result->message.msgId);
  EXPECT_EQ(outcomes[5].result->message.body, "x");
  std::vector<uint64_t> ids{first.message.msgId};
  for (const size_t i : {0, 3, 4, 6}) ids.push_back(outcomes[i].result->message.msgId);
  EXPECT_EQ(inboxView(u[1], ids), (std::vector<std::string>{"1:0", "2:1", "3:2", "4:3", "5:4"}));
  EXPECT_EQ(inboxView(u[0], ids), (std::vector<std::string>{"1:0", "2:1", "3:2", "4:3", "5:4"}));
}

TEST_F(MessageStoreBatch, AGroupSendAndANoteToSelfInABatch) {
  fcgi::MessageStore messages(db_);
  const auto u = users(2);
  const uint64_t group = newGroup(u[0], u);
  const auto outcomes = messages.sendBatch(
      {message(u[0], 0, group, "hello group"), message(u[0], u[0], 0, "note"), message(u[1], u[0], 0, "hi")});
  ASSERT_TRUE(outcomes[0].result && outcomes[1].result && outcomes[2].result);
  EXPECT_EQ(outcomes[0].result->recipients.size(), 2u);
  EXPECT_EQ(outcomes[1].result->recipients.size(), 1u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inbox WHERE msg_id = " + id(outcomes[1].result->message.msgId)), 1);
  // u[0] got all three, numbered 1..3 without gaps (the group send went alone: its place may differ)
  auto view = inboxView(u[0], idsOf(outcomes));
  for (auto& row : view) row = row.substr(row.find(':') + 1);
  std::sort(view.begin(), view.end());
  EXPECT_EQ(view, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(stack_.sql("SELECT last_seq FROM inbox_counters WHERE user_id = " + id(u[0])).at(0), "3");
  EXPECT_EQ(conversationView(u[0], u, idsOf(outcomes)), (std::vector<std::string>{"0 0 1", "1 1 2"}));
}

TEST_F(MessageStoreBatch, ABatchOfTheMostOneTransactionTakesAndALongerOne) {
  fcgi::MessageStore messages(db_);
  for (const size_t size : {fcgi::MessageStore::kMaxBatch, 2 * fcgi::MessageStore::kMaxBatch + 1}) {
    const auto u = users(4);
    std::vector<common::Message> batch;
    for (size_t i = 0; i < size; ++i) batch.push_back(message(u[i % 4], u[(i + 1) % 4], 0, "r"));
    const auto ids = idsOf(messages.sendBatch(batch));
    for (size_t k = 0; k < 4; ++k) {
      std::vector<std::string> want;  // every send user k takes part in, numbered from 1 in batch order
      for (size_t i = 0; i < size; ++i) {
        if (i % 4 == k || (i + 1) % 4 == k) want.push_back(std::to_string(want.size() + 1) + ":" + std::to_string(i));
      }
      EXPECT_EQ(inboxView(u[k], ids), want) << "user " << k << " of a batch of " << size;
    }
  }
}

TEST_F(MessageStoreBatch, TheSeqHintListenerSeesEveryRecipientAtItsLastSeq) {
  fcgi::MessageStore messages(db_);
  std::map<uint64_t, uint64_t> hinted;
  messages.onAllocated([&](const std::vector<common::Recipient>& recipients) {
    for (const auto& r : recipients) hinted[r.uid] = std::max(hinted[r.uid], r.seq);
  });
  const auto u = users(4);
  messages.sendBatch({message(u[0], u[1], 0, "a"), message(u[2], u[3], 0, "b"), message(u[0], u[2], 0, "c")});
  EXPECT_EQ(hinted, (std::map<uint64_t, uint64_t>{{u[0], 2}, {u[1], 1}, {u[2], 2}, {u[3], 1}}));
}

TEST_F(MessageStoreBatch, MariaDbUnreachableIsUnavailableForEverySend) {
  common::MysqlConfig unreachable = config_.mysql;
  unreachable.socket.clear();
  unreachable.hosts.clear();
  unreachable.host = "127.0.0.1";
  unreachable.port = 1;  // nothing listens: connect is refused at once
  fcgi::Db down(unreachable);
  fcgi::MessageStore messages(down);
  const auto u = users(2);
  const auto outcomes = messages.sendBatch({message(u[0], u[1], 0, "a"), message(u[1], u[0], 0, "b")});
  ASSERT_EQ(outcomes.size(), 2u);
  for (const auto& o : outcomes) {
    EXPECT_FALSE(o.result);
    ASSERT_TRUE(o.error);
    EXPECT_EQ(o.error->code(), common::ErrorCode::Unavailable);
  }
}

}  // namespace
}  // namespace im::test
