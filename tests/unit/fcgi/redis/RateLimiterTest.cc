// SPDX-License-Identifier: MIT
// RateLimiterTest.cc - the window arithmetic behind Retry-After, the limits' config keys, and
// failing open when Redis cannot be reached (the counting itself is tested against real Redis).
#include "fcgi/redis/RateLimiter.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/ApiError.h"

namespace {

using im::fcgi::retryAfterIfOver;

class StillClock final : public im::common::Clock {
 public:
  int64_t steadyMs() const override { return 1000; }
  int64_t wallMs() const override { return 1'800'000'000'000; }
};

TEST(RateLimiter, AllowsEveryHitUpToTheLimit) {
  EXPECT_EQ(retryAfterIfOver(1, 300'000, 10, 300), 0);
  EXPECT_EQ(retryAfterIfOver(10, 1, 10, 300), 0);
}

TEST(RateLimiter, RefusesTheHitAfterTheLimitUntilTheWindowEnds) {
  EXPECT_EQ(retryAfterIfOver(11, 299'001, 10, 300), 300);
  EXPECT_EQ(retryAfterIfOver(11, 299'000, 10, 300), 299);
  EXPECT_EQ(retryAfterIfOver(500, 1, 10, 300), 1);
}

TEST(RateLimiter, NeverAsksForLessThanOneSecond) {
  EXPECT_EQ(retryAfterIfOver(11, 0, 10, 300), 1);
  EXPECT_EQ(retryAfterIfOver(11, -2, 10, 300), 1);  // the key expired between INCR and PTTL
}

TEST(RateLimiter, WaitsAWholeWindowWhenTheCounterLostItsExpiry) {
  EXPECT_EQ(retryAfterIfOver(11, -1, 10, 300), 300);
}

TEST(RateLimiter, ZeroMeansNoLimit) { EXPECT_EQ(retryAfterIfOver(1'000'000, 5000, 0, 60), 0); }

TEST(RateLimiter, LimitsAreConfigKeysWithDocumentedDefaults) {
  const auto defaults = im::common::configFromMap({});
  EXPECT_EQ(defaults.limits.loginPerAccount, 10);
  EXPECT_EQ(defaults.limits.loginPerAddress, 30);
  EXPECT_EQ(defaults.limits.loginWindowS, 300);
  EXPECT_EQ(defaults.limits.sendPerUser, 600);
  EXPECT_EQ(defaults.limits.sendWindowS, 60);
  const auto c = im::common::configFromMap({{"limits.send_per_user", "3"}, {"limits.login_window_s", "2"}});
  EXPECT_EQ(c.limits.sendPerUser, 3);
  EXPECT_EQ(c.limits.loginWindowS, 2);
}

TEST(RateLimiter, RefusesAnEmptyWindow) {
  EXPECT_THROW(im::common::configFromMap({{"limits.send_window_s", "0"}}), std::runtime_error);
}

TEST(RateLimiter, LetsRequestsThroughWhenRedisIsDown) {
  im::common::RedisClient redis("127.0.0.1", 1, 200);  // nothing listens on port 1
  StillClock clock;
  const im::common::LimitsConfig limits{.loginPerAccount = 1, .loginPerAddress = 1, .sendPerUser = 1};
  im::fcgi::RateLimiter limiter(redis, clock, limits);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NO_THROW(limiter.checkLogin("alice", "192.0.2.1"));
    EXPECT_NO_THROW(limiter.checkSend(7));
  }
}

}  // namespace
