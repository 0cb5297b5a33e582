// SPDX-License-Identifier: MIT
// MessagingTest.cc - send, poll and history through nginx, fcgi and pushd: the DESIGN invariants
// (durable before acknowledged, no loss/duplicate/reorder, no lost wake-up, idempotent send).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <Poco/JSON/Array.h>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

class Messaging : public ::testing::Test {
 protected:
  void TearDown() override {
    // A test that failed half-way may leave a held poll; the next test counts held polls.
    stack_.waitForHeldPolls(0, std::chrono::seconds(35));
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(Messaging, SendThenPollReturnsTheMessage) {
  const TestUser alice = api_.newUser("alice");
  const TestUser bob = api_.newUser("bob");
  const HttpResponse sent = api_.send(alice.token, bob.id, "hello bob \xe2\x9c\x93", "cm-1");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_TRUE(IsJson(sent));
  const auto answer = parseObject(sent.body);
  const auto msgId = answer->getValue<int64_t>("msg_id");
  EXPECT_FALSE(answer->getValue<bool>("duplicate"));
  EXPECT_EQ(answer->getValue<std::string>("created_at").size(), std::string("2026-11-22T10:00:00.123Z").size());

  const HttpResponse raw = api_.http().get("/im/poll?since=0&timeout=0", bob.token);
  ASSERT_EQ(raw.status, 200) << raw.body;
  EXPECT_TRUE(IsJson(raw));
  const auto polled = parseObject(raw.body);
  EXPECT_EQ(polled->getValue<int64_t>("next"), 1);
  const auto messages = polled->getArray("messages");
  ASSERT_EQ(messages->size(), 1u) << raw.body;
  const auto m = messages->getObject(0);
  EXPECT_EQ(m->getValue<int64_t>("seq"), 1);
  EXPECT_EQ(m->getValue<int64_t>("msg_id"), msgId);
  EXPECT_EQ(m->getValue<int64_t>("from"), alice.id);
  EXPECT_EQ(m->getValue<std::string>("from_name"), alice.name);
  EXPECT_EQ(m->getValue<int64_t>("to"), bob.id);
  EXPECT_EQ(m->getValue<std::string>("body"), "hello bob \xe2\x9c\x93");
  EXPECT_EQ(m->getValue<std::string>("client_msg_id"), "cm-1");
  EXPECT_EQ(m->getValue<std::string>("created_at"), answer->getValue<std::string>("created_at"));
  EXPECT_FALSE(m->has("group"));
}

TEST_F(Messaging, DurableBeforeAcknowledged) {
  const TestUser alice = api_.newUser("durable");
  const TestUser bob = api_.newUser("durable");
  const int64_t msgId = api_.sendOk(alice.token, bob.id, "committed first");
  // The 200 came after the commit: the message and both inbox rows are visible to anyone now.
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE id = " + std::to_string(msgId)), 1);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM inbox WHERE msg_id = " + std::to_string(msgId)), 2);
}

TEST_F(Messaging, HeldPollIsReleasedBySendNotTimeout) {
  const TestUser alice = api_.newUser("held");
  const TestUser bob = api_.newUser("held");
  ASSERT_TRUE(stack_.waitForHeldPolls(0, std::chrono::seconds(5)));
  const auto started = Clock::now();
  auto poll = std::async(std::launch::async, [&] { return api_.poll(bob.token, 0, 30); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, std::chrono::seconds(10))) << "the poll never reached pushd";
  const int64_t msgId = api_.sendOk(alice.token, bob.id, "wake up");
  ASSERT_EQ(poll.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "the send did not release the poll";
  const PollResult result = poll.get();
  const auto elapsed = Clock::now() - started;
  ASSERT_EQ(result.status, 200) << result.raw;
  ASSERT_EQ(result.messages.size(), 1u) << result.raw;
  EXPECT_EQ(result.messages[0].msgId, msgId);
  EXPECT_EQ(result.messages[0].seq, 1);
  EXPECT_EQ(result.next, 1);
  EXPECT_LT(elapsed, std::chrono::seconds(10));
  EXPECT_EQ(stack_.heldPolls(), 0);
}

TEST_F(Messaging, PollTimeoutAnswersNoMessagesAndNextEqualsSince) {
  const TestUser alice = api_.newUser("timeout");
  const TestUser bob = api_.newUser("timeout");
  api_.sendOk(alice.token, bob.id, "one");
  const auto started = Clock::now();
  const HttpResponse r = api_.http().get("/im/poll?since=1&timeout=1", bob.token, 20);
  const auto elapsed = Clock::now() - started;
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(IsJson(r));
  const auto body = parseObject(r.body);
  EXPECT_EQ(body->getArray("messages")->size(), 0u);
  EXPECT_EQ(body->getValue<int64_t>("next"), 1);
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST_F(Messaging, ShortPollWithTimeoutZeroAnswersAtOnce) {
  const TestUser bob = api_.newUser("short");
  const auto started = Clock::now();
  const PollResult r = api_.poll(bob.token, 0, 0);
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.messages.empty());
  EXPECT_EQ(r.next, 0);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
}

// The inbox is the offline table, not the history: a row goes once every live device of its
// user has acknowledged it (polled with since >= its seq), so it never grows with history.
// A `since` beyond the last seq is refused and acknowledges nothing.
TEST_F(Messaging, InboxRowsGoOnceEveryDeviceAcknowledgedThem) {
  const TestUser alice = api_.newUser("ack");
  const TestUser bob = api_.newUser("ack");
  const std::string phone = api_.loginToken(bob.name, bob.password, "phone");
  const std::string rows = "SELECT COUNT(*) FROM inbox WHERE user_id = " + std::to_string(bob.id);
  // Acknowledgements are written in batches a little after the poll (fcgi/store/AckQueue):
  // each check first waits for the device's stored acked_seq (the laptop is device '').
  const auto acked = [&](const std::string& device, int seq) {
    return "SELECT COUNT(*) FROM sessions WHERE user_id = " + std::to_string(bob.id) + " AND device = '" + device +
           "' AND acked_seq = " + std::to_string(seq);
  };
  for (int i = 0; i < 3; ++i) api_.sendOk(alice.token, bob.id, "m" + std::to_string(i));
  ASSERT_EQ(stack_.sqlCount(rows), 3);

  ASSERT_EQ(api_.poll(bob.token, 0, 0).next, 3);
  ASSERT_EQ(api_.poll(bob.token, 3, 0).status, 200);  // the laptop acknowledges 1..3
  ASSERT_TRUE(stack_.waitForCount(acked("", 3), 1, 5s));
  EXPECT_EQ(stack_.sqlCount(rows), 3) << "the phone has not seen them yet";
  const PollResult onPhone = api_.poll(phone, 0, 0);
  ASSERT_EQ(onPhone.messages.size(), 3u) << onPhone.raw;
  ASSERT_EQ(api_.poll(phone, 3, 0).status, 200);  // now every device has
  EXPECT_TRUE(stack_.waitForCount(rows, 0, 5s));

  api_.sendOk(alice.token, bob.id, "m3");
  EXPECT_TRUE(IsApiError(api_.http().get("/im/poll?since=1000&timeout=0", bob.token), 400, "bad_request"));
  ASSERT_EQ(api_.poll(bob.token, 4, 0).status, 200);  // the laptop has seen seq 4
  // Had the refused poll queued its since, this acknowledgement would have merged with it.
  EXPECT_TRUE(stack_.waitForCount(acked("", 4), 1, 5s)) << "a since from the future was acknowledged";
  EXPECT_EQ(stack_.sqlCount(rows), 1) << "the phone has not seen seq 4";
  api_.sendOk(alice.token, bob.id, "m4");
  ASSERT_EQ(api_.poll(phone, 5, 0).status, 200);  // the phone has seen seq 5; the laptop has not
  ASSERT_TRUE(stack_.waitForCount(acked("phone", 5), 1, 5s));
  EXPECT_EQ(stack_.sqlCount(rows), 1) << "seq 5 was acknowledged by a since that came before it";
  const PollResult fifth = api_.poll(bob.token, 4, 0);
  ASSERT_EQ(fifth.messages.size(), 1u) << fifth.raw;
  EXPECT_EQ(fifth.messages[0].seq, 5);
}

// API.md: a since above the mailbox's last seq is a client bug, answered 400 with that seq at
// once (never handed to pushd to be held), whatever the timeout.
TEST_F(Messaging, SinceBeyondTheLastSeqIs400SayingTheLastSeq) {
  const TestUser alice = api_.newUser("beyond");
  const TestUser bob = api_.newUser("beyond");
  for (int i = 0; i < 3; ++i) api_.sendOk(alice.token, bob.id, "m" + std::to_string(i));
  const auto started = Clock::now();
  const HttpResponse r = api_.http().get("/im/poll?since=50&timeout=30", bob.token, 40);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5)) << "the poll was held";
  ASSERT_TRUE(IsApiError(r, 400, "bad_request"));
  const std::string message = parseObject(r.body)->getValue<std::string>("message");
  EXPECT_NE(message.find("50"), std::string::npos) << message;
  EXPECT_NE(message.find("last seq 3"), std::string::npos) << message;
  EXPECT_EQ(stack_.heldPolls(), 0);
  // One past the end is beyond too; the last seq itself is a cursor like any other.
  EXPECT_TRUE(IsApiError(api_.http().get("/im/poll?since=4&timeout=0", bob.token), 400, "bad_request"));
  const PollResult atEnd = api_.poll(bob.token, 3, 0);
  EXPECT_EQ(atEnd.status, 200) << atEnd.raw;
  EXPECT_EQ(atEnd.next, 3);
  // A fresh mailbox's last seq is 0.
  const TestUser carol = api_.newUser("beyond");
  const HttpResponse empty = api_.http().get("/im/poll?since=1&timeout=0", carol.token);
  ASSERT_TRUE(IsApiError(empty, 400, "bad_request"));
  EXPECT_NE(parseObject(empty.body)->getValue<std::string>("message").find("last seq 0"), std::string::npos);
}

// Login's "next" is the mailbox's last seq: a new device polling since=next waits for what
// comes next (held by pushd), and gets it as seq next+1.
TEST_F(Messaging, LoginNextIsTheLastSeqAndAPollFromItHoldsUntilTheNextMessage) {
  const TestUser alice = api_.newUser("next");
  const TestUser bob = api_.newUser("next");
  EXPECT_EQ(parseObject(api_.login(bob.name, bob.password).body)->getValue<int64_t>("next"), 0);
  for (int i = 0; i < 3; ++i) api_.sendOk(alice.token, bob.id, "before " + std::to_string(i));
  const HttpResponse login = api_.login(bob.name, bob.password, "tablet");
  ASSERT_EQ(login.status, 200) << login.body;
  const auto answer = parseObject(login.body);
  ASSERT_EQ(answer->getValue<int64_t>("next"), 3) << login.body;
  const std::string tablet = answer->getValue<std::string>("token");
  ASSERT_TRUE(stack_.waitForHeldPolls(0, std::chrono::seconds(5)));
  auto poll = std::async(std::launch::async, [&] { return api_.poll(tablet, 3, 30); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, std::chrono::seconds(10))) << "a poll from next was not held";
  const int64_t msgId = api_.sendOk(alice.token, bob.id, "after");
  ASSERT_EQ(poll.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  const PollResult r = poll.get();
  ASSERT_EQ(r.messages.size(), 1u) << r.raw;
  EXPECT_EQ(r.messages[0].seq, 4);
  EXPECT_EQ(r.messages[0].msgId, msgId);
  // The sender's own mailbox counts its copies too.
  EXPECT_EQ(parseObject(api_.login(alice.name, alice.password).body)->getValue<int64_t>("next"), 4);
}

TEST_F(Messaging, RetryWithTheSameClientMsgIdIsADuplicateAndStoredOnce) {
  const TestUser alice = api_.newUser("idem");
  const TestUser bob = api_.newUser("idem");
  const HttpResponse first = api_.send(alice.token, bob.id, "exactly once", "retry-me");
  const HttpResponse again = api_.send(alice.token, bob.id, "exactly once", "retry-me");
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(parseObject(first.body)->getValue<bool>("duplicate"));
  EXPECT_TRUE(parseObject(again.body)->getValue<bool>("duplicate"));
  const auto msgId = parseObject(first.body)->getValue<int64_t>("msg_id");
  EXPECT_EQ(parseObject(again.body)->getValue<int64_t>("msg_id"), msgId);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE sender_id = " + std::to_string(alice.id)), 1);
  EXPECT_EQ(stack_.sqlCount("SELECT COUNT(*) FROM inbox WHERE user_id = " + std::to_string(bob.id)), 1);
  const PollResult r = api_.poll(bob.token, 0, 0);
  ASSERT_EQ(r.messages.size(), 1u) << r.raw;
  EXPECT_EQ(r.messages[0].msgId, msgId);
  // The same key from another sender is another message.
  const TestUser carol = api_.newUser("idem");
  EXPECT_NE(api_.sendOk(carol.token, bob.id, "mine", "retry-me"), msgId);
}

TEST_F(Messaging, TheSendersOwnInboxGetsTheMessage) {
  const TestUser alice = api_.newUser("self");
  const TestUser bob = api_.newUser("self");
  const int64_t msgId = api_.sendOk(alice.token, bob.id, "for both of us");
  const PollResult mine = api_.poll(alice.token, 0, 0);
  ASSERT_EQ(mine.messages.size(), 1u) << mine.raw;
  EXPECT_EQ(mine.messages[0].msgId, msgId);
  EXPECT_EQ(mine.messages[0].from, alice.id);
  // Sending to yourself is allowed too.
  const int64_t note = api_.sendOk(alice.token, alice.id, "note to self");
  const PollResult after = api_.poll(alice.token, mine.next, 0);
  ASSERT_GE(after.messages.size(), 1u) << after.raw;
  EXPECT_EQ(after.messages.back().msgId, note);
}

TEST_F(Messaging, BothDevicesOfAUserReceiveEveryMessage) {
  const TestUser alice = api_.newUser("devices");
  const TestUser bob = api_.newUser("devices");
  const std::string phone = api_.loginToken(bob.name, bob.password, "phone");
  auto laptopPoll = std::async(std::launch::async, [&] { return api_.poll(bob.token, 0, 30); });
  auto phonePoll = std::async(std::launch::async, [&] { return api_.poll(phone, 0, 30); });
  ASSERT_TRUE(stack_.waitForHeldPolls(2, std::chrono::seconds(10)));
  const int64_t msgId = api_.sendOk(alice.token, bob.id, "to every device");
  for (auto* poll : {&laptopPoll, &phonePoll}) {
    ASSERT_EQ(poll->wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const PollResult r = poll->get();
    ASSERT_EQ(r.messages.size(), 1u) << r.raw;
    EXPECT_EQ(r.messages[0].msgId, msgId);
  }
  // The laptop acknowledging seq 1 does not take it from the phone.
  api_.poll(bob.token, 1, 0);
  const PollResult phoneAgain = api_.poll(phone, 0, 0);
  ASSERT_EQ(phoneAgain.messages.size(), 1u) << phoneAgain.raw;
  EXPECT_EQ(phoneAgain.messages[0].msgId, msgId);
}

TEST_F(Messaging, HistoryPagesNewestFirstWithBeforeAndMore) {
  const TestUser alice = api_.newUser("hist");
  const TestUser bob = api_.newUser("hist");
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(api_.sendOk(i % 2 ? bob.token : alice.token, i % 2 ? alice.id : bob.id, "m" + std::to_string(i)));
  }
  const HttpResponse first = api_.history(alice.token, bob.id, 0, 2);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(IsJson(first));
  auto page = parseObject(first.body);
  auto messages = page->getArray("messages");
  ASSERT_EQ(messages->size(), 2u) << first.body;
  EXPECT_EQ(messages->getObject(0)->getValue<int64_t>("msg_id"), ids[4]);
  EXPECT_EQ(messages->getObject(1)->getValue<int64_t>("msg_id"), ids[3]);
  EXPECT_FALSE(messages->getObject(0)->has("seq"));
  EXPECT_TRUE(page->getValue<bool>("more"));

  const HttpResponse second = api_.history(bob.token, alice.id, ids[3], 2);
  ASSERT_EQ(second.status, 200) << second.body;
  page = parseObject(second.body);
  messages = page->getArray("messages");
  ASSERT_EQ(messages->size(), 2u) << second.body;
  EXPECT_EQ(messages->getObject(0)->getValue<int64_t>("msg_id"), ids[2]);
  EXPECT_EQ(messages->getObject(1)->getValue<int64_t>("msg_id"), ids[1]);
  EXPECT_TRUE(page->getValue<bool>("more"));

  const HttpResponse last = api_.history(alice.token, bob.id, ids[1], 2);
  ASSERT_EQ(last.status, 200) << last.body;
  page = parseObject(last.body);
  messages = page->getArray("messages");
  ASSERT_EQ(messages->size(), 1u) << last.body;
  EXPECT_EQ(messages->getObject(0)->getValue<int64_t>("msg_id"), ids[0]);
  EXPECT_EQ(messages->getObject(0)->getValue<std::string>("body"), "m0");
  EXPECT_FALSE(page->getValue<bool>("more"));
}

TEST_F(Messaging, AThirdUserCannotReadOthersHistoryNorReceiveTheirMessages) {
  const TestUser alice = api_.newUser("private");
  const TestUser bob = api_.newUser("private");
  const TestUser eve = api_.newUser("private");
  api_.sendOk(alice.token, bob.id, "secret");
  // Eve asking for "her conversation with alice" gets nothing of alice and bob's.
  const HttpResponse own = api_.history(eve.token, alice.id);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(parseObject(own.body)->getArray("messages")->size(), 0u);
  EXPECT_EQ(own.body.find("secret"), std::string::npos);
  const PollResult inbox = api_.poll(eve.token, 0, 0);
  EXPECT_TRUE(inbox.messages.empty()) << inbox.raw;
  // A group she is not a member of is forbidden.
  const HttpResponse created = api_.http().post("/im/groups", "{\"name\":\"pair\",\"members\":[" + std::to_string(bob.id) + "]}",
                                                alice.token);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto group = parseObject(created.body)->getValue<int64_t>("group_id");
  const HttpResponse denied = api_.http().get("/im/history?group=" + std::to_string(group), eve.token);
  EXPECT_TRUE(IsApiError(denied, 403, "forbidden"));
  EXPECT_EQ(denied.body.find("secret"), std::string::npos);
}

// 4 senders x 100 messages to one receiver polling with the last `next`: every message exactly
// once, seqs 1..400 without a gap, each sender's messages in its send order.
TEST_F(Messaging, ConcurrentSendersAreDeliveredExactlyOnceAndInOrder) {
  constexpr int kSenders = 4;
  constexpr int kPerSender = 100;
  const TestUser receiver = api_.newUser("recv");
  std::vector<TestUser> senders;
  for (int i = 0; i < kSenders; ++i) senders.push_back(api_.newUser("sender"));

  std::atomic<bool> sendFailed{false};
  std::vector<std::thread> threads;
  for (int s = 0; s < kSenders; ++s) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kPerSender && !sendFailed; ++i) {
        const HttpResponse r = api_.send(senders[static_cast<size_t>(s)].token, receiver.id,
                                         std::to_string(s) + ":" + std::to_string(i));
        if (r.status != 200) sendFailed = true;
      }
    });
  }

  std::vector<PolledMessage> received;
  int64_t next = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (received.size() < kSenders * kPerSender && Clock::now() < deadline && !sendFailed) {
    const PollResult r = api_.poll(receiver.token, next, 5);
    ASSERT_EQ(r.status, 200) << r.raw;
    if (!r.messages.empty()) {
      ASSERT_EQ(r.next, r.messages.back().seq) << r.raw;
    }
    received.insert(received.end(), r.messages.begin(), r.messages.end());
    next = r.next;
  }
  for (auto& t : threads) t.join();
  ASSERT_FALSE(sendFailed) << "a send failed";
  // Anything still to come would be a duplicate or an extra.
  const PollResult tail = api_.poll(receiver.token, next, 1);
  EXPECT_TRUE(tail.messages.empty()) << tail.raw;

  ASSERT_EQ(received.size(), static_cast<size_t>(kSenders * kPerSender));
  std::set<int64_t> msgIds;
  std::map<int, int> lastIndex;
  for (size_t k = 0; k < received.size(); ++k) {
    const PolledMessage& m = received[k];
    EXPECT_EQ(m.seq, static_cast<int64_t>(k + 1)) << "gap or reorder at position " << k;
    EXPECT_TRUE(msgIds.insert(m.msgId).second) << "duplicate msg_id " << m.msgId;
    const int sender = std::stoi(m.body.substr(0, m.body.find(':')));
    const int index = std::stoi(m.body.substr(m.body.find(':') + 1));
    EXPECT_EQ(m.from, senders[static_cast<size_t>(sender)].id);
    const auto it = lastIndex.find(sender);
    EXPECT_EQ(index, it == lastIndex.end() ? 0 : it->second + 1) << "sender " << sender << " out of order";
    lastIndex[sender] = index;
  }
}

// The counter `name` on /im/metrics (loopback, as the test runs).
double poolCounter(ImClient& api, const std::string& name) {
  const HttpResponse r = api.http().get("/im/metrics");
  EXPECT_EQ(r.status, 200) << r.body;
  const std::regex line("(^|\n)" + name + " ([0-9.e+]+)\n");
  std::smatch m;
  if (!std::regex_search(r.body, m, line)) ADD_FAILURE() << name << " missing from /im/metrics";
  return m.empty() ? 0 : std::stod(m[2]);
}

// 48 sends in flight at once for 4 workers: the queued ones are held behind the send a worker is
// in, and commit with it (fcgi.send_batch). Sends refused in the middle of them (a bad token, an
// unknown recipient, a retried client_msg_id) get their own answers; every other one is answered
// 200 with its own msg_id and reaches the receiver exactly once, gap-free, in each sender's order.
TEST_F(Messaging, SendsQueuedTogetherCommitTogetherAndEachIsDeliveredOnce) {
  constexpr int kSenders = 48;
  constexpr int kPerSender = 5;
  const TestUser receiver = api_.newUser("recv");
  std::vector<TestUser> senders;
  for (int i = 0; i < kSenders; ++i) senders.push_back(api_.newUser("burst"));
  const int64_t firstRetried = api_.sendOk(senders[0].token, receiver.id, "0:first", "burst-retry");
  const double commitsBefore = poolCounter(api_, "im_fcgi_send_commits_total");
  const double sendsBefore = poolCounter(api_, "im_fcgi_sends_committed_total");

  std::vector<std::future<std::vector<int64_t>>> answered;  // each sender's msg_ids, in send order
  std::atomic<int> wrong{0};
  for (int s = 0; s < kSenders; ++s) {
    answered.push_back(std::async(std::launch::async, [&, s] {
      std::vector<int64_t> ids;
      const std::string& token = senders[static_cast<size_t>(s)].token;
      for (int i = 0; i < kPerSender; ++i) {
        const HttpResponse r = api_.send(token, receiver.id, std::to_string(s) + ":" + std::to_string(i));
        if (r.status != 200) ++wrong;
        else ids.push_back(parseObject(r.body)->getValue<int64_t>("msg_id"));
        if (s % 8 != 0) continue;  // a few senders also send what is refused, in between
        if (!IsApiError(api_.send("not-a-token", receiver.id, "x"), 401, "unauthorized")) ++wrong;
        if (!IsApiError(api_.send(token, 1ll << 60, "x"), 404, "not_found")) ++wrong;
        const HttpResponse again = api_.send(senders[0].token, receiver.id, "0:retry", "burst-retry");
        if (again.status != 200 || parseObject(again.body)->getValue<int64_t>("msg_id") != firstRetried) ++wrong;
      }
      return ids;
    }));
  }
  std::map<int64_t, int> senderOf;  // msg_id -> sender index
  for (int s = 0; s < kSenders; ++s) {
    for (const int64_t id : answered[static_cast<size_t>(s)].get()) EXPECT_TRUE(senderOf.emplace(id, s).second) << id;
  }
  ASSERT_EQ(wrong.load(), 0) << "a send was answered other than API.md says";
  ASSERT_EQ(senderOf.size(), static_cast<size_t>(kSenders * kPerSender));

  std::vector<PolledMessage> received;
  int64_t next = 1;  // past the retried message, seq 1
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (received.size() < senderOf.size() && Clock::now() < deadline) {
    const PollResult r = api_.poll(receiver.token, next, 5);
    ASSERT_EQ(r.status, 200) << r.raw;
    received.insert(received.end(), r.messages.begin(), r.messages.end());
    next = r.next;
  }
  EXPECT_TRUE(api_.poll(receiver.token, next, 1).messages.empty()) << "more than was sent";
  ASSERT_EQ(received.size(), senderOf.size());
  std::map<int, int64_t> lastIdOf;  // sender -> the msg_id it got last
  for (size_t k = 0; k < received.size(); ++k) {
    const PolledMessage& m = received[k];
    EXPECT_EQ(m.seq, static_cast<int64_t>(k + 2)) << "gap or reorder at position " << k;
    ASSERT_EQ(senderOf.count(m.msgId), 1u) << "delivered but never answered: " << m.msgId;
    const int s = senderOf[m.msgId];
    EXPECT_EQ(m.from, senders[static_cast<size_t>(s)].id);
    EXPECT_GT(m.msgId, lastIdOf[s]) << "sender " << s << " out of order";
    lastIdOf[s] = m.msgId;
  }
  const double commits = poolCounter(api_, "im_fcgi_send_commits_total") - commitsBefore;
  const double sends = poolCounter(api_, "im_fcgi_sends_committed_total") - sendsBefore;
  EXPECT_GE(sends, kSenders * kPerSender);
  EXPECT_LT(commits, sends) << "no two of the queued sends were committed together";
}

}  // namespace
}  // namespace im::test
