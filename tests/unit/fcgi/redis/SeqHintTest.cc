// SPDX-License-Identifier: MIT
// SeqHintTest.cc - fcgi/redis/SeqHint when Redis cannot be reached: the pre-commit write never
// throws into the send's transaction (sends stay durable without Redis), and no reply (the
// poll's pipeline failed) is "no hint" (the poll reads MySQL). Against real Redis:
// tests/integration/SeqHintTest.
#include "fcgi/redis/SeqHint.h"

#include <gtest/gtest.h>

namespace {

TEST(SeqHint, WithoutRedisAWriteDoesNotThrowAndNoReplyIsNoHint) {
  im::common::RedisClient redis("127.0.0.1", 1, 200);  // nothing listens on port 1
  im::fcgi::SeqHint hints(redis);
  EXPECT_NO_THROW(hints.raise({{7, 3}, {8, 5}}));
  EXPECT_FALSE(hints.parse(im::common::RedisReply()).has_value());
}


}  // namespace
