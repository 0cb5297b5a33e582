// SPDX-License-Identifier: MIT
// AckQueueTest.cc - fcgi/store/AckQueue on the real MariaDB: acknowledgements wait until the
// queue is full or old enough, merge per session, survive a failed write, and one lost with its
// worker is repaired by the device's next acknowledgement.
#include "fcgi/store/AckQueue.h"

#include <string>

#include "fcgi/store/MessageStore.h"
#include "tests/integration/store/StoreFixture.h"
#include "tests/unit/pushd/FakeClock.h"

namespace im::test {
namespace {

class AckQueue : public StoreFixture {
 protected:
  uint64_t send(uint64_t from, uint64_t to) { return messages_.send(message(from, to, 0, "m")).message.msgId; }
  int64_t liveAfter() const { return clock_.wallMs() - 86400 * 1000; }

  pushd::test::FakeClock fake_;
  fcgi::MessageStore messages_{db_};
  fcgi::InboxStore inbox_{db_};
};

TEST_F(AckQueue, NothingIsWrittenUntilTheOldestWaitedTheDelayThenAllInOneBatch) {
  fcgi::AckQueue queue(inbox_, fake_);
  const uint64_t alice = newUser("aq"), bob = newUser("aq"), carol = newUser("aq");
  const uint64_t b = newSession(bob), c = newSession(carol);
  send(alice, bob);
  send(alice, carol);
  EXPECT_EQ(queue.msUntilDue(), -1);
  queue.add({b, bob, 0, 1}, liveAfter());
  fake_.advance(50);
  queue.add({c, carol, 0, 1}, liveAfter());
  EXPECT_EQ(queue.msUntilDue(), fcgi::AckQueue::kMaxDelayMs - 50) << "the oldest entry sets the time";
  fake_.advance(fcgi::AckQueue::kMaxDelayMs - 51);
  queue.flushIfDue();
  EXPECT_EQ(ackedSeq(b), 0);
  EXPECT_EQ(inboxRows(bob), 1);
  fake_.advance(1);
  queue.flushIfDue();
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_EQ(ackedSeq(b), 1);
  EXPECT_EQ(ackedSeq(c), 1);
  EXPECT_EQ(inboxRows(bob) + inboxRows(carol), 0);
}

TEST_F(AckQueue, AFullQueueIsDueAtOnceAndOneSessionIsOneEntry) {
  fcgi::AckQueue queue(inbox_, fake_);
  const uint64_t bob = newUser("aq");
  const uint64_t b = newSession(bob);
  queue.add({b, bob, 0, 1}, liveAfter());
  queue.add({b, bob, 0, 3}, liveAfter());
  queue.add({b, bob, 1, 2}, liveAfter());
  EXPECT_EQ(queue.size(), 1u);
  for (uint64_t s = 1; queue.size() < fcgi::AckQueue::kFlushAt; ++s) {
    queue.add({b + 1000000 * s, bob, 0, 0}, liveAfter());  // sessions that do not exist: no row changes
  }
  EXPECT_EQ(queue.msUntilDue(), 0);
  EXPECT_TRUE(queue.flush());
  EXPECT_EQ(ackedSeq(b), 3) << "merged: the widest range";
}

// A worker killed with acks queued (SIGKILL, a crash) loses them; the device's next poll acks
// from the acked_seq still stored, so its range covers the lost one: the rows go and the
// delivered markers of the lost range are set.
TEST_F(AckQueue, AnAckLostWithItsWorkerIsRepairedByTheDevicesNextOne) {
  const uint64_t alice = newUser("aq"), carol = newUser("aq"), bob = newUser("aq");
  const uint64_t b = newSession(bob);
  send(alice, bob);
  const uint64_t lastFromAlice = send(alice, bob);
  const uint64_t fromCarol = send(carol, bob);
  {
    fcgi::AckQueue dying(inbox_, fake_);
    dying.add({b, bob, 0, 2}, liveAfter());  // seqs 1-2: alice's messages; never written
  }
  EXPECT_EQ(ackedSeq(b), 0);
  fcgi::AckQueue next(inbox_, fake_);
  next.add({b, bob, static_cast<uint64_t>(ackedSeq(b)), 3}, liveAfter());  // as authentication reads it
  ASSERT_TRUE(next.flush());
  EXPECT_EQ(inboxRows(bob), 0);
  EXPECT_EQ(deliveredTo(bob, alice), static_cast<long long>(lastFromAlice));
  EXPECT_EQ(deliveredTo(bob, carol), static_cast<long long>(fromCarol));
}

// MariaDB unreachable: the acks stay queued and the next try waits, not one per request.
TEST_F(AckQueue, AFailedWriteKeepsTheAcksAndWaitsBeforeTheNextTry) {
  common::MysqlConfig unreachable = config_.mysql;
  unreachable.socket.clear();
  unreachable.host = "127.0.0.1";
  unreachable.port = 1;  // nothing listens: connect is refused at once
  fcgi::Db down(unreachable);
  fcgi::InboxStore inbox(down);
  fcgi::AckQueue queue(inbox, fake_);
  queue.add({1, 1, 0, 1}, liveAfter());
  EXPECT_FALSE(queue.flush());
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.msUntilDue(), fcgi::AckQueue::kRetryAfterFailureMs);
}

}  // namespace
}  // namespace im::test
