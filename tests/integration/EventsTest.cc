// SPDX-License-Identifier: MIT
// EventsTest.cc - API.md "Events", POST /im/typing and "Browsers" through nginx, fcgi and both
// pushd nodes: typing wakes held polls on either node, its 3 s gate, event-woken answers stay
// gap-free, catch-up answers carry "events":[], and CORS for a listed origin only.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <chrono>
#include <future>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kListedOrigin = "https://app.example.test";  // Stack's http.allowed_origins

struct Answer {
  int status = 0;
  std::vector<int64_t> seqs;
  std::vector<std::string> events;  // each event object, re-serialised
  int64_t next = -1;
  std::string raw;
};

class Events : public ::testing::Test {
 protected:
  void TearDown() override { stack_.waitForHeldPolls(0, 35s); }

  Answer poll(const TestUser& u, int64_t since, int timeoutS) const {
    const HttpResponse r = http_.get("/im/poll?since=" + std::to_string(since) + "&timeout=" + std::to_string(timeoutS),
                                     u.token, timeoutS + 20);
    Answer a{r.status, {}, {}, -1, r.body};
    if (r.status != 200) return a;
    const auto o = parseObject(r.body);
    a.next = o->getValue<int64_t>("next");
    const auto messages = o->getArray("messages");
    for (size_t i = 0; i < messages->size(); ++i) {
      a.seqs.push_back(messages->getObject(static_cast<unsigned>(i))->getValue<int64_t>("seq"));
    }
    const auto events = o->getArray("events");
    if (!events) throw std::runtime_error("poll answer without an events array: " + r.body);
    for (size_t i = 0; i < events->size(); ++i) a.events.push_back(toJson(*events->getObject(static_cast<unsigned>(i))));
    return a;
  }
  // The user's current `next`, draining whatever the inbox holds (a short poll, repeated).
  int64_t drain(const TestUser& u) const {
    int64_t since = 0;
    for (Answer a = poll(u, since, 0); !a.seqs.empty(); a = poll(u, since, 0)) since = a.next;
    return since;
  }
  HttpResponse typing(const TestUser& u, const std::string& body) const { return http_.post("/im/typing", body, u.token); }
  static std::string typingEvent(int64_t from, const std::string& conversation) {
    Poco::JSON::Object o;  // the order of Poco's own serialisation, as toJson() uses for answers
    o.set("type", "typing");
    o.set("from", from);
    const auto colon = conversation.find(':');
    o.set(conversation.substr(0, colon), std::stoll(conversation.substr(colon + 1)));
    return toJson(o);
  }
  // The node each user's session names in Redis ("" when none), as ClusterTest reads it.
  std::vector<std::string> nodesOf(const std::vector<TestUser>& users) const {
    std::vector<std::string> args{
        "EVAL", "local r = {} for i, k in ipairs(KEYS) do r[i] = redis.call('HVALS', k)[1] or '-' end return r",
        std::to_string(users.size())};
    for (const auto& u : users) args.push_back("im:{" + std::to_string(u.id) + "}:session");
    const CommandResult r = stack_.redisCli(args);
    std::vector<std::string> nodes;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) nodes.push_back(line == "-" ? "" : line.substr(0, line.find('|')));
    if (r.exitCode != 0 || nodes.size() != users.size()) throw std::runtime_error("redis-cli EVAL: " + r.output);
    return nodes;
  }
  int64_t createGroup(const TestUser& creator, const std::vector<TestUser>& members) const {
    std::string ids = "[";
    for (size_t i = 0; i < members.size(); ++i) ids += (i ? "," : "") + std::to_string(members[i].id);
    const HttpResponse r = http_.post("/im/groups", "{\"name\":\"events\",\"members\":" + ids + "]}", creator.token);
    if (r.status != 201) throw std::runtime_error("group create: " + r.body);
    return parseObject(r.body)->getValue<int64_t>("group_id");
  }
  // Drains each user's inbox (which records its session's node), checks that the users sit on
  // both nodes, and holds one poll of each (since = its cursor) until pushd holds them all.
  void holdOnBothNodes(const std::vector<TestUser>& users, std::vector<int64_t>& since,
                       std::vector<std::future<Answer>>& polls) const {
    for (const auto& u : users) since.push_back(drain(u));
    const auto nodes = nodesOf(users);
    ASSERT_EQ(std::set<std::string>(nodes.begin(), nodes.end()).size(), 2u) << users.size() << " users all on one node";
    for (size_t i = 0; i < users.size(); ++i) {
      polls.push_back(std::async(std::launch::async, [this, &users, &since, i] { return poll(users[i], since[i], 20); }));
    }
    ASSERT_TRUE(stack_.waitForHeldPolls(static_cast<int>(users.size()), 10s));
  }
  bool waitUntilGone(const std::string& key, std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (stack_.redisCli({"EXISTS", key}).output.find('0') == 0) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  Stack& stack_ = Stack::get();
  HttpClient http_ = stack_.http();
  ImClient api_{stack_.http()};
};

TEST_F(Events, TypingInAGroupWakesHeldPollsOnBothNodes) {
  const TestUser alice = api_.newUser("evtyper");
  std::vector<TestUser> members;
  for (int i = 0; i < 12; ++i) members.push_back(api_.newUser("evgroup"));
  const int64_t group = createGroup(alice, members);
  std::vector<int64_t> since;
  std::vector<std::future<Answer>> polls;
  ASSERT_NO_FATAL_FAILURE(holdOnBothNodes(members, since, polls));
  const auto sent = Clock::now();
  ASSERT_EQ(typing(alice, "{\"group\":" + std::to_string(group) + "}").status, 204);
  for (size_t i = 0; i < polls.size(); ++i) {
    const Answer a = polls[i].get();
    ASSERT_EQ(a.status, 200) << a.raw;
    EXPECT_TRUE(a.seqs.empty()) << a.raw;
    EXPECT_EQ(a.next, since[i]);
    EXPECT_EQ(a.events, std::vector<std::string>{typingEvent(alice.id, "group:" + std::to_string(group))}) << a.raw;
  }
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent);
  EXPECT_LT(took, 5s) << "the polls were answered by their timeout, not by the event";
  std::cout << "[events] POST /im/typing -> " << members.size() << " held polls on 2 nodes answered: " << took.count()
            << " us\n";
}

// POST /im/read in a group: one read event per node, answering every member's held poll on
// either node, the reader's own included (so each of its devices clears its unread count).
TEST_F(Events, AReadInAGroupWakesHeldPollsOnBothNodes) {
  const TestUser alice = api_.newUser("evreadgrp");
  std::vector<TestUser> members;
  for (int i = 0; i < 12; ++i) members.push_back(api_.newUser("evreadgrp"));
  const int64_t group = createGroup(alice, members);
  const HttpResponse sent =
      http_.post("/im/send", "{\"group\":" + std::to_string(group) + ",\"body\":\"read me\"}", alice.token);
  ASSERT_EQ(sent.status, 200) << sent.body;
  const int64_t msgId = parseObject(sent.body)->getValue<int64_t>("msg_id");
  std::vector<int64_t> since;
  std::vector<std::future<Answer>> polls;
  ASSERT_NO_FATAL_FAILURE(holdOnBothNodes(members, since, polls));
  const TestUser& reader = members[0];
  const HttpResponse read = http_.post(
      "/im/read", "{\"group\":" + std::to_string(group) + ",\"msg_id\":" + std::to_string(msgId) + "}", reader.token);
  ASSERT_EQ(read.status, 204) << read.body;
  Poco::JSON::Object expected;  // Poco's own key order, as toJson() gives the answers'
  expected.set("type", "read");
  expected.set("from", reader.id);
  expected.set("group", group);
  expected.set("msg_id", msgId);
  for (size_t i = 0; i < polls.size(); ++i) {
    const Answer a = polls[i].get();
    ASSERT_EQ(a.status, 200) << a.raw;
    EXPECT_TRUE(a.seqs.empty()) << a.raw;
    EXPECT_EQ(a.next, since[i]);
    EXPECT_EQ(a.events, std::vector<std::string>{toJson(expected)}) << "member " << i << ": " << a.raw;
  }
}

TEST_F(Events, DirectTypingReachesThePeerOnItsNodeAndNamesTheTyper) {
  const TestUser alice = api_.newUser("evdirect");
  const TestUser bob = api_.newUser("evdirect");
  const int64_t since = drain(bob);
  auto held = std::async(std::launch::async, [&] { return poll(bob, since, 20); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s));
  ASSERT_EQ(typing(alice, "{\"to\":" + std::to_string(bob.id) + "}").status, 204);
  const Answer a = held.get();
  EXPECT_EQ(a.events, std::vector<std::string>{typingEvent(alice.id, "with:" + std::to_string(alice.id))}) << a.raw;
  EXPECT_EQ(a.next, since);
}

TEST_F(Events, TypingIsPassedOnAtMostOnceEveryThreeSeconds) {
  const TestUser alice = api_.newUser("evrate");
  const TestUser bob = api_.newUser("evrate");
  const std::string toBob = "{\"to\":" + std::to_string(bob.id) + "}";
  int64_t since = drain(bob);
  auto first = std::async(std::launch::async, [&] { return poll(bob, since, 20); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s));
  const auto firstTyped = Clock::now();
  ASSERT_EQ(typing(alice, toBob).status, 204);
  ASSERT_EQ(first.get().events.size(), 1u);

  // Within 3 s: answered 204, passed nowhere. A send after it reaches bob's node list behind it,
  // so had the typing been passed on, this answer (or an earlier one) would carry it.
  auto second = std::async(std::launch::async, [&] { return poll(bob, since, 20); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s));
  ASSERT_EQ(typing(alice, toBob).status, 204);
  ASSERT_LT(Clock::now() - firstTyped, 3s) << "too slow to test the 3 s gate";
  api_.sendOk(alice.token, bob.id, "after the dropped typing");
  const Answer withMessage = second.get();
  ASSERT_EQ(withMessage.seqs, std::vector<int64_t>{since + 1}) << withMessage.raw;
  EXPECT_TRUE(withMessage.events.empty()) << withMessage.raw;
  since = withMessage.next;

  // Once the gate's key is gone (3 s after the first), typing passes again.
  ASSERT_TRUE(waitUntilGone("im:{" + std::to_string(alice.id) + "}:typing:u" + std::to_string(bob.id), 5s));
  EXPECT_GE(Clock::now() - firstTyped, 2900ms);
  auto third = std::async(std::launch::async, [&] { return poll(bob, since, 20); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s));
  ASSERT_EQ(typing(alice, toBob).status, 204);
  EXPECT_EQ(third.get().events.size(), 1u);
}

// Typers and a sender race on bob's held polls: whatever wakes an answer, its messages are
// consecutive from since + 1, and polling with each `next` sees every message once, in order.
TEST_F(Events, EventWokenAnswersCarryOnlyConsecutiveMessages) {
  const TestUser bob = api_.newUser("evgap");
  const TestUser sender = api_.newUser("evgap");
  std::vector<TestUser> typers;
  for (int i = 0; i < 6; ++i) typers.push_back(api_.newUser("evgap"));
  int64_t since = drain(bob);
  const int64_t first = since;
  constexpr int kMessages = 30;
  auto traffic = std::async(std::launch::async, [&] {
    for (int i = 0; i < kMessages; ++i) {
      typing(typers[static_cast<size_t>(i) % typers.size()], "{\"to\":" + std::to_string(bob.id) + "}");
      api_.sendOk(sender.token, bob.id, "m" + std::to_string(i));
    }
  });
  int withEvents = 0;
  std::vector<int64_t> seen;
  while (static_cast<int>(seen.size()) < kMessages) {
    const Answer a = poll(bob, since, 10);
    ASSERT_EQ(a.status, 200) << a.raw;
    for (size_t i = 0; i < a.seqs.size(); ++i) ASSERT_EQ(a.seqs[i], since + 1 + static_cast<int64_t>(i)) << a.raw;
    ASSERT_EQ(a.next, a.seqs.empty() ? since : a.seqs.back());
    if (!a.events.empty()) ++withEvents;
    seen.insert(seen.end(), a.seqs.begin(), a.seqs.end());
    since = a.next;
  }
  traffic.get();
  ASSERT_EQ(seen.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(seen.back(), first + kMessages);
  EXPECT_GT(withEvents, 0) << "no answer carried an event: the race was not exercised";
}

TEST_F(Events, CatchUpAnswersCarryAnEmptyEventsList) {
  const TestUser alice = api_.newUser("evcatch");
  const TestUser bob = api_.newUser("evcatch");
  const int64_t since = drain(bob);
  const Answer empty = poll(bob, since, 0);
  EXPECT_NE(empty.raw.find("\"events\":[]"), std::string::npos) << empty.raw;
  api_.sendOk(alice.token, bob.id, "to catch up");
  const Answer caught = poll(bob, since, 0);  // answered by fcgi from MySQL
  EXPECT_EQ(caught.seqs, std::vector<int64_t>{since + 1});
  EXPECT_NE(caught.raw.find("\"events\":[]"), std::string::npos) << caught.raw;
}

TEST_F(Events, TypingRefusesBadBodiesUnknownTargetsAndNonMembers) {
  const TestUser alice = api_.newUser("evbad");
  const TestUser bob = api_.newUser("evbad");
  const TestUser eve = api_.newUser("evbad");
  const int64_t group = createGroup(alice, {bob});
  EXPECT_TRUE(IsApiError(typing(alice, "{}"), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(typing(alice, "{\"to\":2,\"group\":1}"), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(typing(alice, "{\"to\":\"2\"}"), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(typing(alice, "not json"), 400, "bad_request"));
  EXPECT_TRUE(IsApiError(typing(alice, "{\"to\":999999999}"), 404, "not_found"));
  EXPECT_TRUE(IsApiError(typing(alice, "{\"group\":999999999}"), 404, "not_found"));
  EXPECT_TRUE(IsApiError(typing(eve, "{\"group\":" + std::to_string(group) + "}"), 403, "forbidden"));
  EXPECT_TRUE(IsApiError(http_.post("/im/typing", "{\"to\":" + std::to_string(bob.id) + "}"), 401, "unauthorized"));
  EXPECT_TRUE(IsApiError(http_.get("/im/typing", alice.token), 405, "method_not_allowed"));
  EXPECT_EQ(typing(alice, "{\"to\":" + std::to_string(alice.id) + "}").status, 204);  // to oneself: nobody
}

TEST_F(Events, CorsPreflightOfAListedOriginIsAnswered) {
  const HttpResponse r = http_.request("OPTIONS", "/im/send", "",
                                       {{"Origin", kListedOrigin}, {"Access-Control-Request-Method", "POST"},
                                        {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), kListedOrigin);
  EXPECT_NE(r.header("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  EXPECT_EQ(r.header("Access-Control-Allow-Headers"), "Authorization, Content-Type");
  EXPECT_EQ(r.header("Access-Control-Max-Age"), "600");
  EXPECT_NE(r.header("Vary").find("Origin"), std::string::npos);
}

TEST_F(Events, AListedOriginsAnswersNameItHeldPollsIncluded) {
  const TestUser alice = api_.newUser("evcors");
  const TestUser bob = api_.newUser("evcors");
  const HttpResponse health = http_.request("GET", "/im/health", "", {{"Origin", kListedOrigin}});
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.header("Access-Control-Allow-Origin"), kListedOrigin);
  EXPECT_NE(health.header("Vary").find("Origin"), std::string::npos);
  // A held poll is answered by pushd through nginx: the include adds the header there.
  const int64_t since = drain(bob);
  auto held = std::async(std::launch::async, [&] {
    return http_.request("GET", "/im/poll?since=" + std::to_string(since) + "&timeout=20", "",
                         {{"Origin", kListedOrigin}, {"Authorization", "Bearer " + bob.token}}, 40);
  });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s));
  api_.sendOk(alice.token, bob.id, "cross-origin");
  const HttpResponse answer = held.get();
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find("cross-origin"), std::string::npos);
  EXPECT_EQ(answer.header("Access-Control-Allow-Origin"), kListedOrigin);
}

TEST_F(Events, AnUnlistedOriginIsRefusedAndNothingIsDone) {
  const TestUser alice = api_.newUser("evcross");
  const TestUser bob = api_.newUser("evcross");
  const HttpResponse preflight = http_.request("OPTIONS", "/im/send", "",
                                               {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_TRUE(IsApiError(preflight, 403, "forbidden"));
  EXPECT_EQ(preflight.header("Access-Control-Allow-Origin"), "");
  const int64_t since = drain(bob);
  const HttpResponse send = http_.request("POST", "/im/send", "{\"to\":" + std::to_string(bob.id) + ",\"body\":\"x\"}",
                                          {{"Origin", "https://evil.example"}, {"Authorization", "Bearer " + alice.token}});
  EXPECT_TRUE(IsApiError(send, 403, "forbidden"));
  EXPECT_EQ(send.header("Access-Control-Allow-Origin"), "");
  EXPECT_TRUE(poll(bob, since, 0).seqs.empty()) << "a refused request was carried out";
  // The same host's own pages (the web client at /im/app/) need no listing.
  const std::string self = "http://127.0.0.1:" + std::to_string(http_.port());
  const HttpResponse same = http_.request("GET", "/im/health", "", {{"Origin", self}});
  EXPECT_EQ(same.status, 200);
  EXPECT_EQ(same.header("Access-Control-Allow-Origin"), "");
}

}  // namespace
}  // namespace im::test
