// SPDX-License-Identifier: MIT
// InboxStoreTest.cc - fcgi/store/InboxStore's batched acknowledgement on the real MariaDB: one
// transaction raises every session's acked_seq and its conversations' delivered markers and
// deletes what every live device has seen, for any batch size; applying one again, or an older
// one, changes nothing.
#include "fcgi/store/InboxStore.h"

#include <string>
#include <vector>

#include "fcgi/store/MessageStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

class InboxStore : public StoreFixture {
 protected:
  uint64_t send(uint64_t from, uint64_t to, const std::string& body) {
    return messages_.send(message(from, to, 0, body)).message.msgId;
  }
  int64_t liveAfter() const { return clock_.wallMs() - 86400 * 1000; }
  // UPDATE and DELETE statements this test's connection (the store's) has run so far.
  long long writesRun() {
    auto& stmt = db_.prepare(
        "SELECT SUM(VARIABLE_VALUE) FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME IN "
        "('COM_UPDATE', 'COM_UPDATE_MULTI', 'COM_DELETE', 'COM_DELETE_MULTI')");
    auto rs = db_.query(stmt);
    return rs->next() ? rs->getInt64(1) : -1;
  }

  fcgi::MessageStore messages_{db_};
  fcgi::InboxStore inbox_{db_};
};

TEST_F(InboxStore, ABatchRaisesEachSessionAndMarkerAndDeletesWhatEveryLiveDeviceSaw) {
  const uint64_t alice = newUser("ack"), bob = newUser("ack"), carol = newUser("ack");
  const uint64_t bobLaptop = newSession(bob, "laptop"), bobPhone = newSession(bob, "phone");
  const uint64_t carolOnly = newSession(carol);
  const uint64_t toBob1 = send(alice, bob, "1"), toBob2 = send(alice, bob, "2");
  const uint64_t toCarol = send(alice, carol, "c");
  // Bob's laptop has seen both, his phone the first; carol's one device all of hers.
  inbox_.acknowledge({{bobLaptop, bob, 0, 2}, {bobPhone, bob, 0, 1}, {carolOnly, carol, 0, 1}}, liveAfter());
  EXPECT_EQ(ackedSeq(bobLaptop), 2);
  EXPECT_EQ(ackedSeq(bobPhone), 1);
  EXPECT_EQ(ackedSeq(carolOnly), 1);
  EXPECT_EQ(deliveredTo(bob, alice), static_cast<long long>(toBob2)) << "the batch's maximum over bob's devices";
  EXPECT_EQ(deliveredTo(carol, alice), static_cast<long long>(toCarol));
  EXPECT_EQ(inboxRows(bob), 1) << "seq 2: the phone has not seen it";
  EXPECT_EQ(inboxRows(carol), 0);
  // Again, and an older one: nothing moves back.
  inbox_.acknowledge({{bobLaptop, bob, 0, 2}, {bobPhone, bob, 0, 1}, {carolOnly, carol, 0, 1}}, liveAfter());
  inbox_.acknowledge({{bobLaptop, bob, 0, 1}}, liveAfter());
  EXPECT_EQ(ackedSeq(bobLaptop), 2);
  EXPECT_EQ(deliveredTo(bob, alice), static_cast<long long>(toBob2));
  EXPECT_EQ(inboxRows(bob), 1);
  EXPECT_LT(toBob1, toBob2);
}

// A group message's acknowledgement moves the session and deletes the row like any other, but
// leaves the member's group row alone (the API has no delivered marker for groups: 0011), while
// the direct message acknowledged in the same batch still sets its marker.
TEST_F(InboxStore, AGroupMessagesAckDeletesItsRowButWritesNoGroupMarker) {
  const uint64_t owner = newUser("gack"), member = newUser("gack");
  const uint64_t memberPhone = newSession(member);
  const uint64_t group = newGroup(owner, {owner, member});
  const uint64_t toGroup = messages_.send(message(owner, 0, group, "to all")).message.msgId;
  const uint64_t direct = send(owner, member, "just you");
  const std::string groupRow = "SELECT delivered_msg_id FROM conversations WHERE user_id = " + id(member) +
                               " AND kind = 'group' AND target_id = " + id(group);
  ASSERT_EQ(count("SELECT COUNT(*) FROM conversations WHERE user_id = " + id(member) + " AND kind = 'group'"), 1);
  inbox_.acknowledge({{memberPhone, member, 0, 2}}, liveAfter());
  EXPECT_EQ(ackedSeq(memberPhone), 2);
  EXPECT_EQ(inboxRows(member), 0) << "both rows were seen by the member's only device";
  EXPECT_EQ(deliveredTo(member, owner), static_cast<long long>(direct));
  EXPECT_EQ(count(groupRow), 0) << "group message " << toGroup << " wrote a marker nobody reads";
}

// More acks than one statement's slots: the batch is split, in one transaction.
TEST_F(InboxStore, ABatchLargerThanTheStatementSlotsIsAppliedWhole) {
  const uint64_t alice = newUser("ack");
  std::vector<fcgi::InboxAck> batch;
  std::vector<uint64_t> users;
  for (size_t i = 0; i < fcgi::kAckSlots + 5; ++i) {
    const uint64_t u = newUser("many");
    const uint64_t sid = newSession(u, "");
    send(alice, u, "hi");
    users.push_back(u);
    batch.push_back({sid, u, 0, 1});
  }
  inbox_.acknowledge(batch, liveAfter());
  for (size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ(ackedSeq(batch[i].sessionId), 1) << i;
    EXPECT_EQ(inboxRows(users[i]), 0) << i;
    EXPECT_GT(deliveredTo(users[i], alice), 0) << i;
  }
}

// A session idle past the limit no longer holds rows back; a live one that saw less does.
TEST_F(InboxStore, OnlyLiveSessionsHoldRowsBack) {
  const uint64_t alice = newUser("ack"), bob = newUser("ack");
  const uint64_t laptop = newSession(bob, "laptop"), old = newSession(bob, "old");
  send(alice, bob, "1");
  stack_.sql("UPDATE sessions SET last_used_at = NOW(3) - INTERVAL 2 DAY WHERE id = " + id(old));
  inbox_.acknowledge({{laptop, bob, 0, 1}}, clock_.wallMs() - 86400 * 1000);
  EXPECT_EQ(inboxRows(bob), 0);
  EXPECT_EQ(ackedSeq(old), 0);
}

// A poll that read no session row (token cache and re-poll hint) queues kAfterStored: the batch
// covers the rows after the stored acked_seq, every conversation among them included.
TEST_F(InboxStore, AnAckWithoutItsLowerBoundCoversTheRowsAfterTheStoredAckedSeq) {
  const uint64_t alice = newUser("ack"), bob = newUser("ack"), carol = newUser("ack");
  const uint64_t phone = newSession(bob, "phone");
  const uint64_t fromAlice = send(alice, bob, "1"), fromCarol = send(carol, bob, "2");
  inbox_.acknowledge({{phone, bob, fcgi::InboxAck::kAfterStored, 2}}, liveAfter());
  EXPECT_EQ(ackedSeq(phone), 2);
  EXPECT_EQ(deliveredTo(bob, alice), static_cast<long long>(fromAlice));
  EXPECT_EQ(deliveredTo(bob, carol), static_cast<long long>(fromCarol));
  EXPECT_EQ(inboxRows(bob), 0);
  const uint64_t again = send(alice, bob, "3");
  inbox_.acknowledge({{phone, bob, fcgi::InboxAck::kAfterStored, 3}}, liveAfter());
  EXPECT_EQ(ackedSeq(phone), 3);
  EXPECT_EQ(deliveredTo(bob, alice), static_cast<long long>(again));
}

// The re-poll after a timeout or an event acknowledges what its session already did: the batch
// reads the stored acked_seq and runs no UPDATE or DELETE; an ack that covers something still does.
TEST_F(InboxStore, AnAckThatCoversNothingNewWritesNothing) {
  const uint64_t alice = newUser("ack"), bob = newUser("ack");
  const uint64_t phone = newSession(bob, "phone"), laptop = newSession(bob, "laptop");
  send(alice, bob, "1");
  inbox_.acknowledge({{phone, bob, fcgi::InboxAck::kAfterStored, 1}, {laptop, bob, 0, 1}}, liveAfter());
  ASSERT_EQ(ackedSeq(phone), 1);
  ASSERT_EQ(inboxRows(bob), 0);
  const long long before = writesRun();
  ASSERT_GE(before, 0);
  // The phone by the cached-token path (lower bound unknown), the laptop by the MySQL path.
  inbox_.acknowledge({{phone, bob, fcgi::InboxAck::kAfterStored, 1}, {laptop, bob, 1, 1}}, liveAfter());
  EXPECT_EQ(writesRun(), before) << "nothing was new";
  const uint64_t second = send(alice, bob, "2");
  const long long afterSend = writesRun();
  inbox_.acknowledge({{phone, bob, fcgi::InboxAck::kAfterStored, 2}, {laptop, bob, 1, 1}}, liveAfter());
  EXPECT_GT(writesRun(), afterSend) << "the phone's ack covers seq 2";
  EXPECT_EQ(ackedSeq(phone), 2);
  EXPECT_EQ(ackedSeq(laptop), 1);
  EXPECT_EQ(deliveredTo(bob, alice), static_cast<long long>(second));
  EXPECT_EQ(inboxRows(bob), 1) << "the laptop has not seen seq 2";
}

}  // namespace
}  // namespace im::test
