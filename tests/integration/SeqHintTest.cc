// SPDX-License-Identifier: MIT
// SeqHintTest.cc - fcgi/redis/SeqHint on the real stack: every send leaves each participant's
// last seq in Redis, a re-poll at that seq is held and released by the next send, and a hint that
// is missing (FLUSHALL, a lost write) or of another Redis life (a restored snapshot) never holds a
// poll that has a message to fetch: that poll is answered with it, not with its timeout.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

class SeqHint : public ::testing::Test {
 protected:
  std::string key(const TestUser& u) const { return "im:{" + std::to_string(u.id) + "}:lastseq"; }
  // The hint's seq (the score of its one member, the server's run_id), "" when there is none.
  std::string hintSeq(const TestUser& u) const {
    const std::string v = stack_.redisCli({"ZRANGE", key(u), "0", "-1", "WITHSCORES"}).output;
    const auto first = v.find('\n');
    return first == std::string::npos ? "" : v.substr(first + 1, v.find_first_of("\r\n", first + 1) - first - 1);
  }
  // A 30 s poll at `since` that must be answered with the message after it, not by its timeout.
  void expectAnsweredWith(const TestUser& u, int64_t since, int64_t msgId, const std::string& why) const {
    const PollResult r = api_.poll(u.token, since, 30);
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.messages.size(), 1u) << why << ": " << r.raw;
    EXPECT_EQ(r.messages[0].msgId, msgId) << why;
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(SeqHint, EverySendLeavesEachParticipantsLastSeqAndARePollThereIsReleasedByTheNextSend) {
  const TestUser alice = api_.newUser("hint"), bob = api_.newUser("hint");
  api_.sendOk(alice.token, bob.id, "one");
  EXPECT_EQ(hintSeq(bob), "1");
  EXPECT_EQ(hintSeq(alice), "1") << "the sender's own inbox copy has a seq too";
  ASSERT_TRUE(stack_.waitForHeldPolls(0, std::chrono::seconds(35)));
  auto poll = std::async(std::launch::async, [&] { return api_.poll(bob.token, 1, 30); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, std::chrono::seconds(10))) << "the re-poll at the last seq was not held";
  const int64_t two = api_.sendOk(alice.token, bob.id, "two");
  ASSERT_EQ(poll.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "the send did not release it";
  const PollResult r = poll.get();
  ASSERT_EQ(r.messages.size(), 1u) << r.raw;
  EXPECT_EQ(r.messages[0].msgId, two);
  EXPECT_EQ(hintSeq(bob), "2");
}

TEST_F(SeqHint, AMissingHintSendsThePollToMysql) {
  const TestUser alice = api_.newUser("hint"), bob = api_.newUser("hint");
  const int64_t one = api_.sendOk(alice.token, bob.id, "one");
  ASSERT_EQ(stack_.redisCli({"DEL", key(bob)}).exitCode, 0);  // as a FLUSHALL or a lost write leaves it
  expectAnsweredWith(bob, 0, one, "no hint");
}

TEST_F(SeqHint, AHintOfAnotherRedisLifeIsNotTrusted) {
  const TestUser alice = api_.newUser("hint"), bob = api_.newUser("hint");
  const int64_t one = api_.sendOk(alice.token, bob.id, "one");
  // What a snapshot taken before the send would bring back: seq 0 under an older run_id.
  ASSERT_EQ(stack_.redisCli({"DEL", key(bob)}).exitCode, 0);
  ASSERT_EQ(stack_.redisCli({"ZADD", key(bob), "0", "0000000000000000000000000000000000000000"}).exitCode, 0);
  expectAnsweredWith(bob, 0, one, "a hint of another Redis life");
}

}  // namespace
}  // namespace im::test
