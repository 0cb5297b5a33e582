// SPDX-License-Identifier: MIT
// MessageStoreTest.cc - fcgi/store/MessageStore on the real MariaDB: one transaction per send,
// gap-free seqs per participant, idempotency by client_msg_id, nothing written on a refusal.
#include "fcgi/store/MessageStore.h"

#include <algorithm>

#include "common/ApiError.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using MessageStore = StoreFixture;

uint64_t seqOf(const fcgi::SendResult& r, uint64_t uid) {
  const auto it = std::find_if(r.recipients.begin(), r.recipients.end(), [&](const auto& x) { return x.uid == uid; });
  return it == r.recipients.end() ? 0 : it->seq;
}

TEST_F(MessageStore, ADirectSendGivesBothParticipantsTheirNextSeq) {
  fcgi::MessageStore messages(db_);
  const uint64_t alice = newUser("alice"), bob = newUser("bob");
  const auto first = messages.send(message(alice, bob, 0, "one"));
  const auto second = messages.send(message(bob, alice, 0, "two"));
  EXPECT_FALSE(first.duplicate);
  EXPECT_GT(second.message.msgId, first.message.msgId);
  EXPECT_EQ(seqOf(first, alice), 1u);
  EXPECT_EQ(seqOf(first, bob), 1u);
  EXPECT_EQ(seqOf(second, alice), 2u);
  EXPECT_EQ(seqOf(second, bob), 2u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inbox WHERE msg_id = " + id(first.message.msgId)), 2);
}

TEST_F(MessageStore, ASendToYourselfIsOneInboxEntry) {
  fcgi::MessageStore messages(db_);
  const uint64_t alice = newUser("alice");
  const auto sent = messages.send(message(alice, alice, 0, "note to self"));
  ASSERT_EQ(sent.recipients.size(), 1u);
  EXPECT_EQ(sent.recipients[0].seq, 1u);
}

TEST_F(MessageStore, TheSameClientMsgIdReturnsTheFirstMessageAndStoresNothing) {
  fcgi::MessageStore messages(db_);
  const uint64_t alice = newUser("alice"), bob = newUser("bob");
  const auto first = messages.send(message(alice, bob, 0, "first words", "cmid-1"));
  const long long rows = count("SELECT COUNT(*) FROM messages WHERE sender_id = " + id(alice));
  const auto again = messages.send(message(alice, bob, 0, "a different retry body", "cmid-1"));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.message.msgId, first.message.msgId);
  EXPECT_EQ(again.message.body, "first words") << "the stored message wins over the retry's";
  EXPECT_EQ(again.message.createdAtMs, first.message.createdAtMs);
  EXPECT_EQ(seqOf(again, bob), 1u) << "the retry must be able to notify the unacknowledged rows again";
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages WHERE sender_id = " + id(alice)), rows);
}

TEST_F(MessageStore, AnUnknownRecipientIsNotFoundAndWritesNothing) {
  fcgi::MessageStore messages(db_);
  const uint64_t alice = newUser("alice");
  const long long before = count("SELECT COUNT(*) FROM messages");
  try {
    messages.send(message(alice, UINT64_MAX, 0, "into the void"));
    FAIL() << "a send to an unknown user was stored";
  } catch (const common::ApiError& e) {
    EXPECT_EQ(e.code(), common::ErrorCode::NotFound);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages"), before);
  EXPECT_EQ(stack_.sql("SELECT last_seq FROM inbox_counters WHERE user_id = " + id(alice)).at(0), "0");
}

TEST_F(MessageStore, AGroupSendFromANonMemberIsForbidden) {
  fcgi::MessageStore messages(db_);
  const uint64_t owner = newUser("owner"), stranger = newUser("stranger");
  const std::string gid = id(newGroup(owner, {owner}));
  try {
    messages.send(message(stranger, 0, std::stoull(gid), "let me in"));
    FAIL() << "a non-member's group send was stored";
  } catch (const common::ApiError& e) {
    EXPECT_EQ(e.code(), common::ErrorCode::Forbidden);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages WHERE group_id = " + gid), 0);
}

}  // namespace
}  // namespace im::test
