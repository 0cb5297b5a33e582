// SPDX-License-Identifier: MIT
// ConversationsTest.cc - GET /im/conversations and POST /im/read through nginx (API.md): unread,
// read, peer_read and peer_delivered after sends, polls and reads from two devices; the order;
// group conversations; the errors of a read; and a list's statement count, whatever its length.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using Clock = std::chrono::steady_clock;

class Conversations : public ::testing::Test {
 protected:
  void TearDown() override { stack_.waitForHeldPolls(0, std::chrono::seconds(35)); }

  // The caller's list, in its order; fails the test on anything but 200.
  std::vector<Poco::JSON::Object::Ptr> list(const TestUser& who, int limit = 0) {
    const HttpResponse r = http_.get("/im/conversations" + (limit ? "?limit=" + std::to_string(limit) : ""), who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(IsJson(r));
    std::vector<Poco::JSON::Object::Ptr> out;
    const auto array = parseObject(r.body)->getArray("conversations");
    if (!array) throw std::runtime_error("no conversations array: " + r.body);
    for (size_t i = 0; i < array->size(); ++i) out.push_back(array->getObject(static_cast<unsigned>(i)));
    return out;
  }
  // The caller's conversation with user `with` (or group `group`); throws when not listed.
  Poco::JSON::Object::Ptr find(const TestUser& who, int64_t with, int64_t group = 0) {
    for (const auto& c : list(who)) {
      if (group ? c->optValue<int64_t>("group", 0) == group : c->optValue<int64_t>("with", 0) == with) return c;
    }
    throw std::runtime_error(who.name + " does not list that conversation");
  }
  HttpResponse read(const TestUser& who, const std::string& key, int64_t id, int64_t msgId) {
    return http_.post("/im/read", "{\"" + key + "\":" + std::to_string(id) + ",\"msg_id\":" + std::to_string(msgId) + "}",
                      who.token);
  }
  int64_t createGroup(const TestUser& creator, const std::string& name, const std::vector<int64_t>& members) {
    std::string ids;
    for (const int64_t id : members) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    const HttpResponse r = http_.post("/im/groups", "{\"name\":" + quote(name) + ",\"members\":[" + ids + "]}", creator.token);
    if (r.status != 201) throw std::runtime_error("create group: " + r.body);
    return parseObject(r.body)->getValue<int64_t>("group_id");
  }
  int64_t sendToGroup(const TestUser& from, int64_t group, const std::string& body) {
    const HttpResponse r = http_.post("/im/send", "{\"group\":" + std::to_string(group) + ",\"body\":" + quote(body) + "}",
                                      from.token);
    if (r.status != 200) throw std::runtime_error("group send: " + r.body);
    return parseObject(r.body)->getValue<int64_t>("msg_id");
  }
  // Waits until alice's view of her chat with `peer` shows peer_delivered == want (it may trail).
  bool waitForPeerDelivered(const TestUser& who, int64_t peer, int64_t want) {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      if (find(who, peer)->getValue<int64_t>("peer_delivered") == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // no wake-up exists for a receipt
    }
    return false;
  }
  // The events of a poll answer, each re-serialised by Poco (as toJson does).
  std::vector<std::string> eventsOf(const HttpResponse& r) {
    std::vector<std::string> out;
    const auto events = parseObject(r.body)->getArray("events");
    if (!events) throw std::runtime_error("no events array: " + r.body);
    for (size_t i = 0; i < events->size(); ++i) out.push_back(toJson(*events->getObject(static_cast<unsigned>(i))));
    return out;
  }
  static std::string readEvent(int64_t from, const std::string& key, int64_t id, int64_t msgId) {
    Poco::JSON::Object o;
    o.set("type", "read");
    o.set("from", from);
    o.set(key, id);
    o.set("msg_id", msgId);
    return toJson(o);
  }
  HttpResponse pollRaw(const std::string& token, int64_t since, int timeoutS) {
    return http_.get("/im/poll?since=" + std::to_string(since) + "&timeout=" + std::to_string(timeoutS), token,
                     timeoutS + 20);
  }
  long long statementsExecuted() {
    const auto rows = stack_.sql("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'");
    if (rows.size() != 1) throw std::runtime_error("no Com_stmt_execute");
    return std::stoll(rows[0].substr(rows[0].find('\t') + 1));
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  HttpClient http_ = stack_.http();
};

TEST_F(Conversations, DirectConversationCountsUnreadAndTheReadMarkers) {
  const TestUser alice = api_.newUser("conv");
  const TestUser bob = api_.newUser("conv");
  const int64_t m1 = api_.sendOk(alice.token, bob.id, "one");
  const int64_t m2 = api_.sendOk(alice.token, bob.id, "two");
  const int64_t m3 = api_.sendOk(alice.token, bob.id, "three");
  const int64_t b1 = api_.sendOk(bob.token, alice.id, "bob's");

  auto mine = find(bob, alice.id);
  EXPECT_EQ(mine->getValue<std::string>("name"), alice.name);
  EXPECT_EQ(mine->getValue<int64_t>("unread"), 3) << "his own message is not unread for bob";
  EXPECT_EQ(mine->getValue<int64_t>("read"), 0);
  EXPECT_EQ(mine->getValue<int64_t>("peer_read"), 0);
  EXPECT_EQ(mine->getValue<int64_t>("peer_delivered"), 0);
  EXPECT_FALSE(mine->has("group"));
  const auto last = mine->getObject("last");
  EXPECT_EQ(last->getValue<int64_t>("msg_id"), b1);
  EXPECT_EQ(last->getValue<int64_t>("from"), bob.id);
  EXPECT_EQ(last->getValue<int64_t>("to"), alice.id);
  EXPECT_EQ(last->getValue<std::string>("body"), "bob's");
  EXPECT_FALSE(last->has("seq"));
  EXPECT_EQ(find(alice, bob.id)->getValue<int64_t>("unread"), 1);

  ASSERT_EQ(read(bob, "with", alice.id, m2).status, 204);
  mine = find(bob, alice.id);
  EXPECT_EQ(mine->getValue<int64_t>("read"), m2);
  EXPECT_EQ(mine->getValue<int64_t>("unread"), 1) << "only m3 is from alice and above m2";
  EXPECT_EQ(find(alice, bob.id)->getValue<int64_t>("peer_read"), m2);

  // Never backwards: a lower msg_id is accepted and changes nothing.
  ASSERT_EQ(read(bob, "with", alice.id, m1).status, 204);
  EXPECT_EQ(find(bob, alice.id)->getValue<int64_t>("read"), m2);
  EXPECT_EQ(find(alice, bob.id)->getValue<int64_t>("peer_read"), m2);

  // Reading up to his own newest message reads everything before it.
  ASSERT_EQ(read(bob, "with", alice.id, b1).status, 204);
  mine = find(bob, alice.id);
  EXPECT_EQ(mine->getValue<int64_t>("read"), b1);
  EXPECT_EQ(mine->getValue<int64_t>("unread"), 0);
  EXPECT_GT(b1, m3);
  EXPECT_EQ(find(alice, bob.id)->getValue<int64_t>("unread"), 1) << "bob's read moves only bob's marker";
}

// peer_delivered: the highest msg_id one of the peer's devices acknowledged by polling past it;
// a fetch alone, or an acknowledgement of an earlier seq, never claims more.
TEST_F(Conversations, PeerDeliveredFollowsTheAcknowledgementsOfEitherDevice) {
  const TestUser alice = api_.newUser("dlv");
  const TestUser bob = api_.newUser("dlv");
  const std::string phone = api_.loginToken(bob.name, bob.password, "phone");
  const int64_t m1 = api_.sendOk(alice.token, bob.id, "one");
  const int64_t m2 = api_.sendOk(alice.token, bob.id, "two");

  const PollResult fetched = api_.poll(phone, 0, 0);
  ASSERT_EQ(fetched.messages.size(), 2u) << fetched.raw;
  EXPECT_EQ(find(alice, bob.id)->getValue<int64_t>("peer_delivered"), 0) << "fetched, not yet acknowledged";
  ASSERT_EQ(api_.poll(phone, 1, 0).status, 200);  // the phone acknowledges seq 1 only
  EXPECT_TRUE(waitForPeerDelivered(alice, bob.id, m1));
  ASSERT_EQ(api_.poll(phone, 2, 0).status, 200);
  EXPECT_TRUE(waitForPeerDelivered(alice, bob.id, m2));

  // The laptop lagging behind does not lower it; its own acknowledgements count as well.
  ASSERT_EQ(api_.poll(bob.token, 1, 0).status, 200);
  ASSERT_TRUE(stack_.waitForCount("SELECT COUNT(*) FROM sessions WHERE user_id = " + std::to_string(bob.id) +
                                      " AND device = '' AND acked_seq = 1",
                                  1, std::chrono::seconds(5)))
      << "the laptop's acknowledgement is written (in a batch, a little after its poll)";
  EXPECT_EQ(find(alice, bob.id)->getValue<int64_t>("peer_delivered"), m2);
  const int64_t m3 = api_.sendOk(alice.token, bob.id, "three");
  const int64_t m4 = api_.sendOk(alice.token, bob.id, "four");
  const PollResult onLaptop = api_.poll(bob.token, 1, 0);
  ASSERT_EQ(onLaptop.messages.size(), 3u) << onLaptop.raw;
  ASSERT_EQ(api_.poll(bob.token, 3, 0).status, 200);  // seq 3 = m3
  EXPECT_TRUE(waitForPeerDelivered(alice, bob.id, m3));
  EXPECT_EQ(find(alice, bob.id)->getValue<int64_t>("peer_delivered"), m3) << "m4 was not acknowledged";
  ASSERT_EQ(api_.poll(phone, 4, 0).status, 200);
  EXPECT_TRUE(waitForPeerDelivered(alice, bob.id, m4));
  // Bob's side: what alice's devices acknowledged; she has polled nothing.
  EXPECT_EQ(find(bob, alice.id)->getValue<int64_t>("peer_delivered"), 0);
}

// API.md Events: when bob reads his chat with alice, alice's polling devices get
// {"from": bob, "with": bob} and bob's other devices {"from": bob, "with": alice}; a read that
// moves nothing sends nothing.
TEST_F(Conversations, AReadWakesThePeersAndTheReadersOtherDevicesWithAReadEvent) {
  const TestUser alice = api_.newUser("rev");
  const TestUser bob = api_.newUser("rev");
  const int64_t m = api_.sendOk(alice.token, bob.id, "read me");
  const std::string phone = api_.loginToken(bob.name, bob.password, "phone");  // next = 1
  ASSERT_TRUE(stack_.waitForHeldPolls(0, std::chrono::seconds(5)));
  auto alicePoll = std::async(std::launch::async, [&] { return pollRaw(alice.token, 1, 20); });
  auto phonePoll = std::async(std::launch::async, [&] { return pollRaw(phone, 1, 20); });
  ASSERT_TRUE(stack_.waitForHeldPolls(2, std::chrono::seconds(10)));
  ASSERT_EQ(read(bob, "with", alice.id, m).status, 204);
  const HttpResponse forAlice = alicePoll.get();
  const HttpResponse forPhone = phonePoll.get();
  ASSERT_EQ(forAlice.status, 200) << forAlice.body;
  ASSERT_EQ(forPhone.status, 200) << forPhone.body;
  EXPECT_EQ(eventsOf(forAlice), std::vector<std::string>{readEvent(bob.id, "with", bob.id, m)}) << forAlice.body;
  EXPECT_EQ(eventsOf(forPhone), std::vector<std::string>{readEvent(bob.id, "with", alice.id, m)}) << forPhone.body;

  // Reading the same message again moves nothing: alice's next poll times out without an event.
  auto again = std::async(std::launch::async, [&] { return pollRaw(alice.token, 1, 1); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, std::chrono::seconds(10)));
  ASSERT_EQ(read(bob, "with", alice.id, m).status, 204);
  const HttpResponse quiet = again.get();
  ASSERT_EQ(quiet.status, 200) << quiet.body;
  EXPECT_TRUE(eventsOf(quiet).empty()) << quiet.body;
}

TEST_F(Conversations, ReadErrors) {
  const TestUser alice = api_.newUser("rerr");
  const TestUser bob = api_.newUser("rerr");
  const TestUser carol = api_.newUser("rerr");
  const int64_t withBob = api_.sendOk(alice.token, bob.id, "for bob");
  const int64_t withCarol = api_.sendOk(alice.token, carol.id, "for carol");
  const int64_t group = createGroup(alice, "pair", {bob.id});
  const int64_t inGroup = sendToGroup(alice, group, "group message");

  EXPECT_TRUE(IsApiError(read(alice, "with", bob.id, withCarol), 404, "not_found")) << "another conversation's message";
  EXPECT_TRUE(IsApiError(read(alice, "with", bob.id, inGroup), 404, "not_found"));
  EXPECT_TRUE(IsApiError(read(bob, "group", group, withBob), 404, "not_found"));
  EXPECT_TRUE(IsApiError(read(alice, "with", bob.id, 999999999), 404, "not_found"));
  EXPECT_TRUE(IsApiError(read(alice, "with", 999999999, withBob), 404, "not_found"));
  EXPECT_TRUE(IsApiError(read(alice, "group", 999999999, inGroup), 404, "not_found"));
  EXPECT_TRUE(IsApiError(read(carol, "group", group, inGroup), 403, "forbidden"));
  EXPECT_EQ(find(alice, bob.id)->getValue<int64_t>("read"), 0) << "a refused read changed the marker";
  for (const std::string body : {"{}", "{\"with\":1}", "{\"msg_id\":1}", "{\"with\":1,\"group\":1,\"msg_id\":1}",
                                 "{\"with\":\"1\",\"msg_id\":1}", "{\"with\":1,\"msg_id\":0}", "{\"with\":1,\"msg_id\":1.5}",
                                 "[1]", "not json"}) {
    EXPECT_TRUE(IsApiError(http_.post("/im/read", body, alice.token), 400, "bad_request")) << body;
  }
  EXPECT_TRUE(IsApiError(http_.post("/im/read", "{\"with\":1,\"msg_id\":1}"), 401, "unauthorized"));
  EXPECT_TRUE(IsApiError(http_.get("/im/conversations"), 401, "unauthorized"));
  EXPECT_TRUE(IsApiError(http_.get("/im/read", alice.token), 405, "method_not_allowed"));
  for (const char* q : {"limit=0", "limit=201", "limit=x"}) {
    EXPECT_TRUE(IsApiError(http_.get(std::string("/im/conversations?") + q, alice.token), 400, "bad_request")) << q;
  }
}

TEST_F(Conversations, MostRecentActivityFirstAndLimit) {
  const TestUser me = api_.newUser("order");
  const TestUser a = api_.newUser("order");
  const TestUser b = api_.newUser("order");
  const TestUser c = api_.newUser("order");
  EXPECT_TRUE(list(me).empty());
  api_.sendOk(a.token, me.id, "from a");
  api_.sendOk(me.token, b.id, "to b");
  const int64_t group = createGroup(c, "trio", {me.id, a.id});
  sendToGroup(c, group, "in the group");
  api_.sendOk(me.token, me.id, "note to self");
  auto ids = [&](const std::vector<Poco::JSON::Object::Ptr>& l) {
    std::vector<std::string> out;
    for (const auto& x : l) {
      out.push_back(x->has("group") ? "g" + std::to_string(x->getValue<int64_t>("group"))
                                    : std::to_string(x->getValue<int64_t>("with")));
    }
    return out;
  };
  const std::string g = "g" + std::to_string(group);
  EXPECT_EQ(ids(list(me)), (std::vector<std::string>{std::to_string(me.id), g, std::to_string(b.id), std::to_string(a.id)}));
  api_.sendOk(a.token, me.id, "a again");  // the oldest conversation comes first again
  EXPECT_EQ(ids(list(me)), (std::vector<std::string>{std::to_string(a.id), std::to_string(me.id), g, std::to_string(b.id)}));
  EXPECT_EQ(ids(list(me, 2)), (std::vector<std::string>{std::to_string(a.id), std::to_string(me.id)}));
  // A note to self is a conversation with oneself: its messages are never unread.
  const auto self = find(me, me.id);
  EXPECT_EQ(self->getValue<std::string>("name"), me.name);
  EXPECT_EQ(self->getValue<int64_t>("unread"), 0);
}

TEST_F(Conversations, GroupConversationCountsOthersMessagesAndHasNoPeerMarkers) {
  const TestUser alice = api_.newUser("gconv");
  const TestUser bob = api_.newUser("gconv");
  const TestUser carol = api_.newUser("gconv");
  const TestUser eve = api_.newUser("gconv");
  const int64_t group = createGroup(alice, "team \xe2\x9c\x93", {bob.id, carol.id});
  sendToGroup(alice, group, "a1");
  const int64_t a2 = sendToGroup(alice, group, "a2");
  const int64_t b1 = sendToGroup(bob, group, "b1");

  const auto forCarol = find(carol, 0, group);
  EXPECT_EQ(forCarol->getValue<std::string>("name"), "team \xe2\x9c\x93");
  EXPECT_EQ(forCarol->getValue<int64_t>("unread"), 3);
  EXPECT_EQ(forCarol->getValue<int64_t>("read"), 0);
  EXPECT_FALSE(forCarol->has("with"));
  EXPECT_FALSE(forCarol->has("peer_read"));
  EXPECT_FALSE(forCarol->has("peer_delivered"));
  EXPECT_EQ(forCarol->getObject("last")->getValue<int64_t>("msg_id"), b1);
  EXPECT_EQ(forCarol->getObject("last")->getValue<int64_t>("group"), group);
  EXPECT_EQ(find(alice, 0, group)->getValue<int64_t>("unread"), 1);
  EXPECT_EQ(find(bob, 0, group)->getValue<int64_t>("unread"), 2);
  EXPECT_TRUE(list(eve).empty()) << "a non-member lists nobody's group";

  ASSERT_EQ(read(carol, "group", group, a2).status, 204);
  EXPECT_EQ(find(carol, 0, group)->getValue<int64_t>("unread"), 1);
  EXPECT_EQ(find(carol, 0, group)->getValue<int64_t>("read"), a2);
  EXPECT_EQ(find(bob, 0, group)->getValue<int64_t>("unread"), 2) << "carol's read is hers alone";

  // A member who left no longer lists (nor reads) the group.
  ASSERT_EQ(http_.post("/im/groups/" + std::to_string(group) + "/leave", "", carol.token).status, 204);
  EXPECT_TRUE(list(carol).empty());
  EXPECT_TRUE(IsApiError(read(carol, "group", group, b1), 403, "forbidden"));
}

// unread stays exact while messages arrive during reads: after the dust settles it equals the
// number of alice's messages above bob's marker, as history counts them.
TEST_F(Conversations, UnreadStaysExactUnderConcurrentSendsAndReads) {
  const TestUser alice = api_.newUser("race");
  const TestUser bob = api_.newUser("race");
  std::atomic<int64_t> newest{api_.sendOk(alice.token, bob.id, "first")};
  std::atomic<bool> done{false};
  std::thread sender([&] {
    for (int i = 0; i < 60; ++i) newest = api_.sendOk(alice.token, bob.id, "m" + std::to_string(i));
    done = true;
  });
  int reads = 0;
  while (!done) {
    EXPECT_EQ(read(bob, "with", alice.id, newest).status, 204);
    ++reads;
  }
  sender.join();
  const auto mine = find(bob, alice.id);
  const int64_t marker = mine->getValue<int64_t>("read");
  const long long expected = stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE sender_id = " +
                                             std::to_string(alice.id) + " AND id > " + std::to_string(marker));
  EXPECT_EQ(mine->getValue<int64_t>("unread"), expected) << "after " << reads << " reads";
  EXPECT_GT(reads, 1);
}

// One GET /im/conversations runs the same number of statements for 1 conversation as for 40
// (the list; the token comes from the token cache after its first use): the list is one query,
// never one per conversation.
TEST_F(Conversations, AListRunsTheSameStatementsWhateverItsLength) {
  const TestUser few = api_.newUser("count");
  const TestUser many = api_.newUser("count");
  const TestUser other = api_.newUser("count");
  api_.sendOk(other.token, few.id, "hi");
  for (int i = 0; i < 40; ++i) api_.sendOk(api_.newUser("peer").token, many.id, "hi");
  ASSERT_EQ(list(few).size(), 1u);  // warm: each token's first use may touch its session
  ASSERT_EQ(list(many).size(), 40u);
  ASSERT_EQ(stack_.heldPolls(), 0);
  const long long before = statementsExecuted();
  list(few);
  const long long forFew = statementsExecuted() - before;
  list(many);
  const long long forMany = statementsExecuted() - before - forFew;
  EXPECT_EQ(forFew, forMany);
  EXPECT_EQ(forMany, 1) << "one list query (authentication from the token cache)";
}

}  // namespace
}  // namespace im::test
