// SPDX-License-Identifier: MIT
// PollRegistryTest.cc - hold/notify/expire/answer without sockets: a recording PollResponder
// stands in for PollServer (the registry's only way out), a fake clock drives the wheel.
#include "pushd/PollRegistry.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "FakeClock.h"
#include "common/Log.h"

namespace im::pushd {
namespace {

// Every end of a poll reaches it exactly once, with the log request id answer() sets.
class RecordingResponder final : public PollResponder {
 public:
  void respond(net::ConnectionId connection, Answer answer) override {
    EXPECT_EQ(answers.count(connection) + closed.count(connection), 0u) << "answered twice: " << connection;
    ++calls;
    answers[connection] = std::move(answer.body);
    pushStartUs[connection] = answer.pushStartUs;
    requestIds[connection] = common::requestId();
  }
  void close(net::ConnectionId connection) override {
    ++calls;
    closed[connection] = true;
  }

  int calls = 0;
  std::map<net::ConnectionId, std::string> answers;
  std::map<net::ConnectionId, int64_t> pushStartUs;
  std::map<net::ConnectionId, std::string> requestIds;
  std::map<net::ConnectionId, bool> closed;
};

common::Notification note(uint64_t uid, uint64_t seq, const std::string& body = "hi") {
  return common::Notification{{{uid, seq}}, "{\"msg_id\":" + std::to_string(seq) + ",\"body\":\"" + body + "\"}"};
}

common::Notification event(std::vector<uint64_t> uids, const std::string& json) {
  common::Notification n{{}, json, common::Notification::Kind::Event};
  for (const uint64_t uid : uids) n.recipients.push_back({uid, 0});
  return n;
}

constexpr const char* kTyping = R"({"type":"typing","from":2,"with":2})";

class PollRegistryTest : public ::testing::Test {
 protected:
  PollRegistryTest() : registry(loop, clock, wheel, early, responder, stats, PollRegistryOptions{200, 3}) {}

  PollId hold(uint64_t uid, const std::string& session, uint64_t since, net::ConnectionId conn, uint32_t timeoutS = 30,
              uint32_t limit = 100, const std::string& req = "") {
    common::HoldRequest r;
    r.uid = uid;
    r.session = session;
    r.since = since;
    r.timeoutS = timeoutS;
    r.limit = limit;
    r.req = req;
    return registry.hold(r, conn);
  }
  void notify(std::vector<common::Notification> batch, int64_t readUs = 0) {
    registry.notify(NotificationBatch{std::move(batch), readUs});
  }
  void advance(int64_t ms) {
    for (int64_t t = 0; t < ms; t += 10) {
      clock.advance(10);
      registry.tick();
    }
  }

  test::FakeClock clock;
  net::EventLoop loop;  // never started: this thread owns it
  TimingWheel wheel{clock, 10, 1024};
  EarlyNotifications early{5000};
  RecordingResponder responder;
  Stats stats{"test:1", clock};
  PollRegistry registry;
};

TEST_F(PollRegistryTest, AnswersAHeldPollWhenItsNotificationArrives) {
  EXPECT_NE(hold(1, "a", 0, 100), 0u);
  EXPECT_TRUE(responder.answers.empty());
  notify({note(1, 1)});
  EXPECT_EQ(responder.answers[100], R"({"messages":[{"seq":1,"msg_id":1,"body":"hi"}],"events":[],"next":1})");
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_EQ(stats.deliveries(), 1u);
}

TEST_F(PollRegistryTest, AnswersEveryHeldPollOfTheUid) {
  hold(1, "phone", 0, 100);
  hold(1, "laptop", 0, 101);
  hold(2, "other", 0, 102);
  notify({common::Notification{{{1, 1}, {3, 1}}, "{\"msg_id\":9}"}});
  EXPECT_EQ(responder.answers.count(100), 1u);
  EXPECT_EQ(responder.answers.count(101), 1u);
  EXPECT_EQ(responder.answers.count(102), 0u);
  EXPECT_EQ(registry.size(), 1u);
}

TEST_F(PollRegistryTest, AnswersAtOnceFromTheEarlyBuffer) {
  notify({note(1, 5)});
  EXPECT_EQ(hold(1, "a", 4, 100), 0u);
  EXPECT_EQ(responder.answers[100], R"({"messages":[{"seq":5,"msg_id":5,"body":"hi"}],"events":[],"next":5})");
  EXPECT_EQ(stats.early(), 1u);
}

TEST_F(PollRegistryTest, TimesOutWithAnEmptyAnswer) {
  hold(1, "a", 3, 100, 1);
  advance(990);
  EXPECT_TRUE(responder.answers.empty());
  advance(10);
  EXPECT_EQ(responder.answers[100], R"({"messages":[],"events":[],"next":3})");
  EXPECT_EQ(registry.size(), 0u);
}

// What the loop sleeps until: the earliest of the wheel's timers and the expiries of the early
// buffer and the pending events, those rounded up to the wheel's ticks; tick() has work then.
TEST_F(PollRegistryTest, IsDueAtItsEarliestTimerOrExpiryOnTheWheelsTicks) {
  EXPECT_EQ(registry.nextDueMs(), std::nullopt) << "nothing held or kept: no wake-up";
  hold(1, "a", 7, 100);  // at 1000, for 30 s
  EXPECT_EQ(registry.nextDueMs(), 31000);
  clock.advance(3);
  notify({note(2, 1)});  // kept until 6003
  EXPECT_EQ(registry.nextDueMs(), 6010);
  notify({event({5}, kTyping)});  // uid 5 holds no poll: kept until 3003
  EXPECT_EQ(registry.nextDueMs(), 3010);
  notify({note(1, 9)});  // poll 100 faces a gap: 200 ms
  EXPECT_EQ(registry.nextDueMs(), 1210);
  clock.advance(206);
  registry.tick();
  EXPECT_TRUE(responder.answers.empty());
  clock.advance(1);
  registry.tick();
  EXPECT_EQ(responder.answers[100], R"({"messages":[],"events":[],"next":7})");
  EXPECT_EQ(registry.nextDueMs(), 3010);
  clock.advance(1800);
  registry.tick();
  EXPECT_EQ(registry.pendingEvents(), 0u);
  EXPECT_EQ(registry.nextDueMs(), 6010);
}

TEST_F(PollRegistryTest, ZeroTimeoutAnswersAtOnce) {
  EXPECT_EQ(hold(1, "a", 3, 100, 0), 0u);
  EXPECT_EQ(responder.answers[100], R"({"messages":[],"events":[],"next":3})");
}

TEST_F(PollRegistryTest, ANewHoldOfTheSameSessionAnswersTheOlderOneEmpty) {
  hold(1, "a", 3, 100);
  hold(1, "a", 3, 101);
  EXPECT_EQ(responder.answers[100], R"({"messages":[],"events":[],"next":3})");
  EXPECT_EQ(registry.size(), 1u);
  notify({note(1, 4)});
  EXPECT_NE(responder.answers[101].find("\"seq\":4"), std::string::npos);
}

TEST_F(PollRegistryTest, WaitsForAMissingSeqThenDeliversTheRun) {
  hold(1, "a", 7, 100);
  notify({note(1, 9)});
  EXPECT_TRUE(responder.answers.empty());
  advance(100);
  notify({note(1, 8)});
  ASSERT_EQ(responder.answers.count(100), 1u);
  const std::string& body = responder.answers[100];
  EXPECT_LT(body.find("\"seq\":8"), body.find("\"seq\":9"));
  EXPECT_NE(body.find("\"next\":9"), std::string::npos);
}

TEST_F(PollRegistryTest, AnswersEmptyWhenTheGapDoesNotCloseInTime) {
  hold(1, "a", 7, 100);
  notify({note(1, 9)});
  advance(190);
  EXPECT_TRUE(responder.answers.empty());
  advance(10);
  EXPECT_EQ(responder.answers[100], R"({"messages":[],"events":[],"next":7})");  // re-poll: MySQL has seq 8
  EXPECT_EQ(registry.size(), 0u);
}

// The poll's nginx request id (HoldRequest::req) marks pushd's line about its gap answer, and
// no line after it.
TEST_F(PollRegistryTest, TheGapAnswersLineCarriesThePollsRequestId) {
  common::HoldRequest r;
  r.uid = 1;
  r.session = "a";
  r.since = 7;
  r.req = "0123abcd-EF";
  ASSERT_NE(registry.hold(r, 100), 0u);
  notify({note(1, 9)});
  ::testing::internal::CaptureStderr();  // logLine writes to fd 2
  advance(200);
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(responder.answers[100], R"({"messages":[],"events":[],"next":7})");
  EXPECT_NE(log.find(R"(level=info )"), std::string::npos) << log;
  EXPECT_NE(log.find(R"(component=poll req=0123abcd-EF msg="gap answer: a missing seq did not come within gap_wait_ms, )"
                     R"(uid=1 since=7")"),
            std::string::npos)
      << log;
  EXPECT_EQ(common::requestId(), "") << "the poll's id outlived its answer";
}

TEST_F(PollRegistryTest, AHoldFacingABufferedGapAlsoWaitsOnlyBriefly) {
  notify({note(1, 9)});
  EXPECT_NE(hold(1, "a", 7, 100), 0u);
  advance(200);
  EXPECT_EQ(responder.answers[100], R"({"messages":[],"events":[],"next":7})");
}

// The hold's one gap check pulls its timer in; the missing seq then answers it (with the run
// the re-check selected) once, and the pulled-in timer finds nothing left to answer.
TEST_F(PollRegistryTest, AHoldFacingAGapIsAnsweredOnceWhenTheGapCloses) {
  notify({note(1, 9)});
  ASSERT_NE(hold(1, "a", 7, 100), 0u);
  EXPECT_EQ(responder.calls, 0);
  notify({note(1, 8)});
  ASSERT_EQ(responder.calls, 1);
  EXPECT_EQ(responder.answers[100],
            R"({"messages":[{"seq":8,"msg_id":8,"body":"hi"},{"seq":9,"msg_id":9,"body":"hi"}],"events":[],"next":9})");
  advance(300);  // past gap_wait_ms
  EXPECT_EQ(responder.calls, 1);
  EXPECT_EQ(wheel.size(), 0u);
  EXPECT_EQ(stats.deliveries(), 1u);
}

TEST_F(PollRegistryTest, NeverDeliversMoreThanTheLimit) {
  hold(1, "a", 0, 100, 30, 2);
  notify({note(1, 1), note(1, 2), note(1, 3)});
  EXPECT_NE(responder.answers[100].find("\"next\":2"), std::string::npos);
  EXPECT_EQ(responder.answers[100].find("\"seq\":3"), std::string::npos);
}

TEST_F(PollRegistryTest, ClientCloseClosesWithoutWriting) {
  const PollId id = hold(1, "a", 0, 100);
  registry.clientGone(id);
  EXPECT_TRUE(responder.closed[100]);
  EXPECT_EQ(responder.answers.count(100), 0u);
  EXPECT_EQ(registry.size(), 0u);
}

TEST_F(PollRegistryTest, ANotificationOrTimerForAPollAlreadyGoneDoesNothing) {
  const PollId id = hold(1, "a", 0, 100, 1);
  notify({note(1, 1)});
  registry.answer(id, PollRegistry::Reply::Empty);  // second answer: ignored
  notify({note(1, 2)});
  advance(2000);
  EXPECT_EQ(responder.answers.size(), 1u);
  EXPECT_EQ(wheel.size(), 0u);
}

TEST_F(PollRegistryTest, AnswersEmptyAtOnceWhenFull) {
  hold(1, "a", 0, 100);
  hold(2, "a", 0, 101);
  hold(3, "a", 0, 102);
  EXPECT_EQ(hold(4, "a", 5, 103), 0u);
  EXPECT_EQ(responder.answers[103], R"({"messages":[],"events":[],"next":5})");
  EXPECT_EQ(registry.size(), 3u);
}

TEST_F(PollRegistryTest, ShutdownAnswersEveryPollEmpty) {
  hold(1, "a", 1, 100);
  hold(2, "b", 2, 101);
  registry.answerAll();
  EXPECT_EQ(responder.answers[100], R"({"messages":[],"events":[],"next":1})");
  EXPECT_EQ(responder.answers[101], R"({"messages":[],"events":[],"next":2})");
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_EQ(wheel.size(), 0u);
}

TEST_F(PollRegistryTest, AnEventAnswersEveryHeldPollOfItsUidsAtOnce) {
  hold(1, "phone", 4, 100);
  hold(3, "x", 0, 102);
  hold(9, "other", 0, 103);
  notify({event({1, 3}, kTyping)});
  EXPECT_EQ(responder.answers[100], std::string(R"({"messages":[],"events":[)") + kTyping + R"(],"next":4})");
  EXPECT_EQ(responder.answers[102], std::string(R"({"messages":[],"events":[)") + kTyping + R"(],"next":0})");
  EXPECT_EQ(responder.answers.count(103), 0u);
  EXPECT_EQ(registry.size(), 1u);
  // Both devices of a user.
  hold(1, "phone", 4, 104);
  hold(1, "laptop", 4, 105);
  notify({event({1}, kTyping)});
  EXPECT_EQ(responder.answers.count(104) + responder.answers.count(105), 2u);
  EXPECT_EQ(responder.answers[104], responder.answers[105]);
  EXPECT_EQ(stats.deliveries(), 0u);  // no message was delivered
  EXPECT_EQ(stats.eventAnswers(), 4u);  // uids 1 and 3, then both devices of 1
}

TEST_F(PollRegistryTest, AnEventWokenAnswerCarriesOnlyMessagesConsecutiveFromSince) {
  hold(1, "a", 7, 100);
  notify({note(1, 9)});  // 8 is missing: the poll waits out the gap
  EXPECT_TRUE(responder.answers.empty());
  notify({event({1}, kTyping)});
  EXPECT_EQ(responder.answers[100], std::string(R"({"messages":[],"events":[)") + kTyping + R"(],"next":7})");
  // The same in one batch: 8 is consecutive, 10 is not (9 missing).
  hold(2, "b", 7, 101);
  notify({note(2, 8), event({2}, kTyping), note(2, 10)});
  EXPECT_EQ(responder.answers[101], std::string(R"({"messages":[{"seq":8,"msg_id":8,"body":"hi"}],"events":[)") +
                                        kTyping + R"(],"next":8})");
}

TEST_F(PollRegistryTest, SeveralEventsOfOneBatchShareOneAnswerInArrivalOrder) {
  hold(1, "a", 0, 100);
  const std::string read = R"({"type":"read","from":2,"with":2,"msg_id":5})";
  notify({event({1}, kTyping), event({1}, read)});
  EXPECT_EQ(responder.answers[100], std::string(R"({"messages":[],"events":[)") + kTyping + "," + read + R"(],"next":0})");
}

TEST_F(PollRegistryTest, AnEventForAUidWithNoHeldPollWaitsForItsNextPollOnly) {
  notify({event({1}, kTyping)});
  EXPECT_EQ(registry.pendingEvents(), 1u);
  EXPECT_EQ(hold(1, "a", 3, 100), 0u);  // answered at once, with the event
  EXPECT_EQ(responder.answers[100], std::string(R"({"messages":[],"events":[)") + kTyping + R"(],"next":3})");
  EXPECT_EQ(registry.pendingEvents(), 0u);
  EXPECT_EQ(stats.eventAnswers(), 1u);
  EXPECT_NE(hold(1, "a", 3, 101), 0u);  // taken: the next poll is held
  EXPECT_EQ(responder.answers.count(101), 0u);
}

TEST_F(PollRegistryTest, AnEventDeliveredToAHeldPollIsNotKeptForTheNextOne) {
  hold(1, "a", 0, 100);
  notify({event({1}, kTyping)});
  ASSERT_EQ(responder.answers.count(100), 1u);
  EXPECT_NE(hold(1, "a", 0, 101), 0u);
  EXPECT_EQ(responder.answers.count(101), 0u);
}

TEST_F(PollRegistryTest, APendingEventIsDroppedAfterItsWindow) {
  notify({event({1}, kTyping)});
  advance(PendingEvents::kDefaultWindowMs);
  EXPECT_EQ(registry.pendingEvents(), 0u);
  EXPECT_NE(hold(1, "a", 0, 100), 0u);
  EXPECT_TRUE(responder.answers.empty());
}

TEST_F(PollRegistryTest, AnEventLeavesTheEarlyBufferForTheRePoll) {
  hold(1, "a", 7, 100);
  notify({note(1, 9), event({1}, kTyping)});
  ASSERT_EQ(responder.answers.count(100), 1u);
  // The client re-polls at since 7; fcgi would find 8 in MySQL. Here 8 arrives late and the
  // kept 9 completes the run.
  notify({note(1, 8)});
  EXPECT_EQ(hold(1, "a", 7, 101), 0u);
  const std::string& body = responder.answers[101];
  EXPECT_LT(body.find("\"seq\":8"), body.find("\"seq\":9"));
  EXPECT_NE(body.find("\"next\":9"), std::string::npos);
}

// The bench's push leg starts when RedisInbox read the batch: that time rides in the answers
// the batch caused, and only in those.
TEST_F(PollRegistryTest, AnswersCarryTheReadTimeOfTheBatchThatWokeThem) {
  hold(1, "a", 0, 100);
  hold(2, "a", 0, 101);
  hold(3, "a", 0, 102, 1);
  notify({note(1, 1), event({2}, kTyping)}, 1234);
  EXPECT_EQ(responder.pushStartUs[100], 1234);  // a message completed its run
  EXPECT_EQ(responder.pushStartUs[101], 1234);  // an event woke it
  hold(1, "b", 0, 103);                         // at once, from the early buffer: no push leg
  hold(2, "a", 0, 104);
  hold(2, "a", 0, 105);                         // replaces 104
  advance(1000);                                // 102 times out
  EXPECT_EQ(responder.answers.count(103) + responder.answers.count(104) + responder.answers.count(102), 3u);
  EXPECT_EQ(responder.pushStartUs[103], 0);
  EXPECT_EQ(responder.pushStartUs[104], 0);
  EXPECT_EQ(responder.pushStartUs[102], 0);
}

// Answers at once end through the same answer() as held polls: the same log request id, the
// same counters, one respond().
TEST_F(PollRegistryTest, AnAnswerAtOnceTakesTheOneAnswerPath) {
  notify({note(1, 5)});
  EXPECT_EQ(hold(1, "a", 4, 100, 30, 100, "at-once-1"), 0u);
  EXPECT_EQ(hold(2, "a", 0, 101, 0, 100, "at-once-2"), 0u);  // timeout 0
  EXPECT_NE(hold(3, "a", 0, 102, 30, 100, "held-3"), 0u);
  notify({note(3, 1)});
  EXPECT_EQ(responder.requestIds[100], "at-once-1");
  EXPECT_EQ(responder.requestIds[101], "at-once-2");
  EXPECT_EQ(responder.requestIds[102], "held-3");
  EXPECT_EQ(stats.early(), 1u);
  EXPECT_EQ(stats.deliveries(), 2u);  // 100 and 102; 101 was empty
  EXPECT_EQ(common::requestId(), "");
}

TEST_F(PollRegistryTest, StatsReportTheHeldPollsAndTheBuffer) {
  hold(1, "a", 0, 100);
  notify({note(2, 1)});
  const std::string json = registry.stats();
  EXPECT_NE(json.find("\"held_polls\":1,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"buffered\":1,"), std::string::npos) << json;
}

}  // namespace
}  // namespace im::pushd
