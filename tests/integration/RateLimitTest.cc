// SPDX-License-Identifier: MIT
// RateLimitTest.cc - the login and send limits through nginx, counted in the stack's real Redis:
// the over-limit answer is API.md's 429 rate_limited with a Retry-After, and nothing else happens.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

constexpr int kLoginsPerAccount = 10;  // the default of limits.login_per_account
constexpr int kLoginWindowS = 300;
constexpr int kSendsPerUser = 5;
constexpr int kSendWindowS = 60;

// The shared test config turns send limits off; this binary's stack turns them on. Set before
// main(), so `./im up` passes it on, and im-fcgi lets IM_* variables override the config file.
const bool kSendLimitSet = [] { return ::setenv("IM_LIMITS_SEND_PER_USER", "5", 1) == 0; }();

::testing::AssertionResult IsRateLimited(const HttpResponse& r, int maxRetryAfterS) {
  if (auto shape = IsApiError(r, 429, "rate_limited"); !shape) return shape;
  const std::string retryAfter = r.header("Retry-After");
  const int seconds = std::atoi(retryAfter.c_str());
  if (seconds < 1 || seconds > maxRetryAfterS) {
    return ::testing::AssertionFailure() << "Retry-After '" << retryAfter << "' is not 1.." << maxRetryAfterS;
  }
  return ::testing::AssertionSuccess();
}

TEST(RateLimit, EleventhLoginForOneAccountWithinTheWindowIs429WithRetryAfter) {
  ASSERT_TRUE(kSendLimitSet);
  ImClient client(Stack::get().http());
  const TestUser alice = client.newUser("rl_login");  // attempt 1
  for (int attempt = 2; attempt <= kLoginsPerAccount; ++attempt) {
    EXPECT_TRUE(IsApiError(client.login(alice.name, "wrong password"), 401, "unauthorized")) << attempt;
  }
  // The right password does not help: over the limit, the password is not even checked.
  EXPECT_TRUE(IsRateLimited(client.login(alice.name, alice.password), kLoginWindowS));
  const TestUser bob = client.newUser("rl_login");  // another account is not affected
  EXPECT_EQ(client.login(bob.name, bob.password).status, 200);
}

TEST(RateLimit, SendsOverTheLimitAre429AndStoreNothing) {
  ImClient client(Stack::get().http());
  const TestUser carol = client.newUser("rl_send");
  for (int i = 1; i <= kSendsPerUser; ++i) client.sendOk(carol.token, carol.id, "note " + std::to_string(i));
  EXPECT_TRUE(IsRateLimited(client.send(carol.token, carol.id, "one too many"), kSendWindowS));
  const HttpResponse history = client.history(carol.token, carol.id);
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(parseObject(history.body)->getArray("messages")->size(), static_cast<size_t>(kSendsPerUser));
}

}  // namespace
}  // namespace im::test
