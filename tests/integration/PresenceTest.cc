// SPDX-License-Identifier: MIT
// PresenceTest.cc - GET /im/online through nginx and the stack's Redis: a poll makes its user
// online with an RFC 3339 last_seen; without polls the user drops out after presence.window_s.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWindowS = 2;  // the shared test config says 5; this binary's stack says 2
// Set before main(), so `./im up` passes it on and im-fcgi's IM_* override beats the file.
const bool kWindowSet = [] { return ::setenv("IM_PRESENCE_WINDOW_S", "2", 1) == 0; }();

struct OnlineEntry {
  std::string username;
  std::string lastSeen;
};

class Presence : public ::testing::Test {
 protected:
  // The caller's view of /im/online: the entry of `uid`, if listed.
  std::optional<OnlineEntry> find(const TestUser& viewer, int64_t uid) {
    const HttpResponse r = http_.get("/im/online", viewer.token);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(IsJson(r));
    const auto users = parseObject(r.body)->getArray("users");
    if (!users) throw std::runtime_error("/im/online without a users array: " + r.body);
    for (size_t i = 0; i < users->size(); ++i) {
      const auto u = users->getObject(static_cast<unsigned>(i));
      if (u->getValue<int64_t>("user_id") == uid) {
        return OnlineEntry{u->getValue<std::string>("username"), u->getValue<std::string>("last_seen")};
      }
    }
    return std::nullopt;
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  HttpClient http_ = stack_.http();
};

// "2026-11-22T10:00:00.123Z" -> milliseconds since the epoch (UTC).
int64_t parseRfc3339Ms(const std::string& text) {
  std::tm tm{};
  tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(text.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(text.substr(8, 2));
  tm.tm_hour = std::stoi(text.substr(11, 2));
  tm.tm_min = std::stoi(text.substr(14, 2));
  tm.tm_sec = std::stoi(text.substr(17, 2));
  return int64_t{::timegm(&tm)} * 1000 + std::stoi(text.substr(20, 3));
}

int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_F(Presence, PollingUserIsListedWithLastSeen) {
  ASSERT_TRUE(kWindowSet);
  const TestUser alice = api_.newUser("online");
  const TestUser bob = api_.newUser("online");
  EXPECT_FALSE(find(alice, bob.id)) << "bob has not polled yet";

  const int64_t before = wallMs();
  const PollResult polled = api_.poll(bob.token, 0, 0);
  ASSERT_EQ(polled.status, 200) << polled.raw;
  const int64_t after = wallMs();

  const auto entry = find(alice, bob.id);
  ASSERT_TRUE(entry) << "bob polled but is not online";
  EXPECT_EQ(entry->username, bob.name);
  EXPECT_TRUE(std::regex_match(entry->lastSeen, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << entry->lastSeen;
  const int64_t seen = parseRfc3339Ms(entry->lastSeen);
  EXPECT_GE(seen, before - 1000) << entry->lastSeen;  // same machine; a little clock slack
  EXPECT_LE(seen, after + 1000) << entry->lastSeen;
  EXPECT_FALSE(find(alice, alice.id)) << "logging in is not polling";

  // A later poll moves last_seen forward.
  ASSERT_EQ(api_.poll(bob.token, 0, 0).status, 200);
  const auto again = find(bob, bob.id);
  ASSERT_TRUE(again);
  EXPECT_GE(parseRfc3339Ms(again->lastSeen), seen);
  EXPECT_TRUE(IsApiError(http_.get("/im/online", ""), 401, "unauthorized"));
}

TEST_F(Presence, UserDropsOutAfterTheWindowWithoutLogout) {
  ASSERT_TRUE(kWindowSet);
  const TestUser alice = api_.newUser("window");
  const TestUser bob = api_.newUser("window");
  const auto polledAt = Clock::now();
  ASSERT_EQ(api_.poll(bob.token, 0, 0).status, 200);
  const auto answeredAt = Clock::now();
  ASSERT_TRUE(find(alice, bob.id));

  // Watch /im/online until bob drops out; waiting out the window is the behaviour under test.
  std::optional<Clock::time_point> goneAt;
  while (Clock::now() - polledAt < std::chrono::seconds(kWindowS + 4)) {
    if (!find(alice, bob.id)) {
      goneAt = Clock::now();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(goneAt) << "bob is still online " << kWindowS + 4 << " s after his only poll";
  // Not before the window (minus a little for clock granularity), and not at the default 5 s.
  EXPECT_GE(*goneAt - answeredAt, std::chrono::milliseconds(kWindowS * 1000 - 300));
  EXPECT_LE(*goneAt - polledAt, std::chrono::milliseconds(kWindowS * 1000 + 1500));

  // No logout happened: the token still works, and the next poll makes bob online again.
  ASSERT_EQ(api_.poll(bob.token, 0, 0).status, 200);
  EXPECT_TRUE(find(alice, bob.id));
}

}  // namespace
}  // namespace im::test
