// SPDX-License-Identifier: MIT
// TokenCacheTest.cc - fcgi/redis/TokenCache when Redis cannot be reached: a lookup is a miss
// without ticket (MySQL decides, nothing is cached), a fill is dropped, and a revocation throws
// so that no logout is answered 204 without its tombstone. The cache against real Redis:
// tests/integration/TokenCacheTest.
#include "fcgi/redis/TokenCache.h"

#include <gtest/gtest.h>

#include "common/ApiError.h"

namespace {

class StillClock final : public im::common::Clock {
 public:
  int64_t steadyMs() const override { return 1000; }
  int64_t wallMs() const override { return 1'800'000'000'000; }
};

const std::string kHash(64, 'a');

TEST(TokenCache, WithoutRedisALookupIsAMissThatMayNotFill) {
  im::common::RedisClient redis("127.0.0.1", 1, 200);  // nothing listens on port 1
  StillClock clock;
  im::fcgi::TokenCache cache(redis, clock);
  const auto found = cache.find(kHash);
  EXPECT_EQ(found.kind, im::fcgi::TokenCache::Lookup::Kind::Miss);
  EXPECT_TRUE(found.ticket.empty());
  EXPECT_NO_THROW(cache.fill(kHash, "t1.1", {1, 2, "alice", clock.wallMs()}, clock.wallMs() + 60'000,
                             clock.wallMs() + 86'400'000));
  EXPECT_NO_THROW(cache.withdraw({kHash}));
}

TEST(TokenCache, WithoutRedisARevocationThrowsUnavailable) {
  im::common::RedisClient redis("127.0.0.1", 1, 200);
  StillClock clock;
  im::fcgi::TokenCache cache(redis, clock);
  try {
    cache.revoke({kHash});
    FAIL() << "revoke() returned without its tombstone";
  } catch (const im::common::ApiError& e) {
    EXPECT_EQ(e.code(), im::common::ErrorCode::Unavailable);
  }
}

}  // namespace
