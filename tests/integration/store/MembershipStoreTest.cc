// SPDX-License-Identifier: MIT
// MembershipStoreTest.cc - fcgi/store/MembershipStore on the real MariaDB: a change and its
// typed message commit together (through MessageStore::deliver, the send's own path), reach
// the inbox of every member at that point, and a refused change writes nothing.
#include "fcgi/store/MembershipStore.h"

#include "common/ApiError.h"
#include "fcgi/store/GroupStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using MembershipStore = StoreFixture;
using common::GroupRole;

TEST_F(MembershipStore, AnAddStoresItsTypedMessageInEveryMembersInboxTheAddedOneIncluded) {
  fcgi::MessageStore messages(db_);
  fcgi::GroupStore groups(db_);
  fcgi::MembershipStore membership(db_, messages);
  const uint64_t alice = newUser("alice"), bob = newUser("bob"), carol = newUser("carol");
  const uint64_t gid = groups.create(alice, "g", {bob}, false, clock_.wallMs());
  const auto stored = membership.add(gid, {alice, "alice"}, {carol, bob}, clock_.wallMs());
  ASSERT_EQ(stored.size(), 1u) << "bob was a member already: no message for him";
  const fcgi::SendResult& added = stored[0];
  EXPECT_EQ(added.message.type, common::MessageType::MemberAdded);
  EXPECT_EQ(added.message.target, carol);
  EXPECT_EQ(added.recipients.size(), 3u);
  const std::string m = id(added.message.msgId);
  EXPECT_EQ(stack_.sql("SELECT type, target_id, role IS NULL, group_id, sender_id FROM messages WHERE id = " + m).at(0),
            "member_added\t" + id(carol) + "\t1\t" + id(gid) + "\t" + id(alice));
  EXPECT_EQ(count("SELECT COUNT(*) FROM inbox WHERE msg_id = " + m), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_members WHERE group_id = " + id(gid)), 3);
}

TEST_F(MembershipStore, ARemovalIsToldToTheRemovedMemberAndARoleChangeCarriesTheRole) {
  fcgi::MessageStore messages(db_);
  fcgi::GroupStore groups(db_);
  fcgi::MembershipStore membership(db_, messages);
  const uint64_t alice = newUser("alice"), bob = newUser("bob"), carol = newUser("carol");
  const uint64_t gid = groups.create(alice, "g", {bob, carol}, false, clock_.wallMs());
  const auto promoted = membership.setRole(gid, {alice, "alice"}, carol, GroupRole::Admin, clock_.wallMs());
  ASSERT_EQ(promoted.size(), 1u);
  EXPECT_EQ(promoted[0].message.role, GroupRole::Admin);
  EXPECT_EQ(stack_.sql("SELECT role FROM messages WHERE id = " + id(promoted[0].message.msgId)).at(0), "admin");
  const auto removed = membership.remove(gid, {carol, "carol"}, bob, clock_.wallMs());
  ASSERT_EQ(removed.size(), 1u);
  bool bobTold = false;
  for (const auto& r : removed[0].recipients) bobTold = bobTold || r.uid == bob;
  EXPECT_TRUE(bobTold) << "the removed member gets its member_removed";
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_members WHERE group_id = " + id(gid) + " AND user_id = " + id(bob)), 0);
}

TEST_F(MembershipStore, ARefusedChangeWritesNothing) {
  fcgi::MessageStore messages(db_);
  fcgi::GroupStore groups(db_);
  fcgi::MembershipStore membership(db_, messages);
  const uint64_t alice = newUser("alice"), bob = newUser("bob"), carol = newUser("carol");
  const uint64_t gid = groups.create(alice, "g", {bob, carol}, false, clock_.wallMs());
  const long long before = count("SELECT COUNT(*) FROM messages WHERE group_id = " + id(gid));
  try {
    membership.remove(gid, {bob, "bob"}, carol, clock_.wallMs());  // a member removes no one
    FAIL() << "a member removed another";
  } catch (const common::ApiError& e) {
    EXPECT_EQ(e.code(), common::ErrorCode::Forbidden);
  }
  try {
    membership.add(gid, {alice, "alice"}, {UINT64_MAX}, clock_.wallMs());
    FAIL() << "an unknown user was added";
  } catch (const common::ApiError& e) {
    EXPECT_EQ(e.code(), common::ErrorCode::NotFound);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages WHERE group_id = " + id(gid)), before);
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_members WHERE group_id = " + id(gid)), 3);
}

TEST_F(MembershipStore, DeliverBelongsToTheCallersTransaction) {
  fcgi::MessageStore messages(db_);
  const uint64_t alice = newUser("alice"), bob = newUser("bob");
  const long long before = count("SELECT COUNT(*) FROM messages WHERE sender_id = " + id(alice));
  {
    fcgi::Transaction tx(db_);
    messages.deliver(message(alice, bob, 0, "rolled back"));
  }  // no commit: the message and its inbox rows go with the transaction
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages WHERE sender_id = " + id(alice)), before);
  EXPECT_EQ(stack_.sql("SELECT last_seq FROM inbox_counters WHERE user_id = " + id(bob)).at(0), "0");
}

}  // namespace
}  // namespace im::test
