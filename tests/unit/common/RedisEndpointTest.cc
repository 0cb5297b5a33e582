// SPDX-License-Identifier: MIT
// RedisEndpointTest.cc - the redis.sentinels list and the Sentinel/ROLE replies, read from RESP bytes
// as a server sends them (hiredis's reader, no socket).
#include "common/RedisEndpoint.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "common/RedisClient.h"

namespace im::common {
namespace {

RedisReply parse(const std::string& resp) {
  redisReader* reader = redisReaderCreate();
  redisReaderFeed(reader, resp.data(), resp.size());
  void* raw = nullptr;
  const int rc = redisReaderGetReply(reader, &raw);
  redisReaderFree(reader);
  if (rc != REDIS_OK || raw == nullptr) throw std::runtime_error("incomplete RESP in the test");
  return RedisReply(static_cast<redisReply*>(raw));
}

TEST(RedisEndpoint, ParsesAListSeparatedByCommasOrBlanks) {
  const auto list = parseEndpoints("127.0.0.1:26379, 10.0.0.2:26380\tsentinel-c.example:26381,,[::1]:26382");
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0], (RedisEndpoint{"127.0.0.1", 26379}));
  EXPECT_EQ(list[1], (RedisEndpoint{"10.0.0.2", 26380}));
  EXPECT_EQ(list[2], (RedisEndpoint{"sentinel-c.example", 26381}));
  EXPECT_EQ(list[3], (RedisEndpoint{"::1", 26382}));
  EXPECT_EQ(list[3].text(), "::1:26382");
}

TEST(RedisEndpoint, AnEmptyListMeansNoSentinel) {
  EXPECT_TRUE(parseEndpoints("").empty());
  EXPECT_TRUE(parseEndpoints(" , ").empty());
}

TEST(RedisEndpoint, RejectsAnEntryWithoutAValidPort) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", ":26379", "host:0", "host:65536", "host:26379x", "::1:26379",
                          "[::1:26379", "127.0.0.1:26379,oops"}) {
    EXPECT_THROW(parseEndpoints(bad), std::runtime_error) << bad;
  }
}

TEST(RedisEndpoint, ReadsThePrimaryAddressASentinelNames) {
  const RedisReply reply = parse("*2\r\n$9\r\n127.0.0.1\r\n$5\r\n16380\r\n");
  const auto primary = masterFromSentinelReply(reply.get());
  ASSERT_TRUE(primary.has_value());
  EXPECT_EQ(*primary, (RedisEndpoint{"127.0.0.1", 16380}));
}

TEST(RedisEndpoint, AnUnknownMasterNameOrAMalformedReplyNamesNoPrimary) {
  EXPECT_FALSE(masterFromSentinelReply(parse("*-1\r\n").get()));   // the name is not monitored
  EXPECT_FALSE(masterFromSentinelReply(parse("$-1\r\n").get()));
  EXPECT_FALSE(masterFromSentinelReply(parse("-ERR unknown command\r\n").get()));
  EXPECT_FALSE(masterFromSentinelReply(parse("*1\r\n$9\r\n127.0.0.1\r\n").get()));
  EXPECT_FALSE(masterFromSentinelReply(parse("*2\r\n$9\r\n127.0.0.1\r\n$4\r\nnope\r\n").get()));
  EXPECT_FALSE(masterFromSentinelReply(parse("*2\r\n$0\r\n\r\n$4\r\n6379\r\n").get()));
  EXPECT_FALSE(masterFromSentinelReply(nullptr));
}

TEST(RedisEndpoint, OnlyAServerAnsweringMasterToRoleIsThePrimary) {
  // ROLE on a primary: ["master", offset, [[ip, port, offset], ...]].
  EXPECT_TRUE(isPrimaryRoleReply(
      parse("*3\r\n$6\r\nmaster\r\n:3129659\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n9001\r\n$7\r\n3129242\r\n").get()));
  // A demoted primary: ["slave", ip, port, state, offset].
  EXPECT_FALSE(isPrimaryRoleReply(
      parse("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:9000\r\n$9\r\nconnected\r\n:3167038\r\n").get()));
  EXPECT_FALSE(isPrimaryRoleReply(parse("*2\r\n$8\r\nsentinel\r\n*0\r\n").get()));
  EXPECT_FALSE(isPrimaryRoleReply(parse("-LOADING Redis is loading the dataset in memory\r\n").get()));
  EXPECT_FALSE(isPrimaryRoleReply(parse("+master\r\n").get()));
}

TEST(RedisEndpoint, RecognisesTheErrorsOfAServerThatIsNoPrimaryNow) {
  EXPECT_TRUE(isFailoverError("READONLY You can't write against a read only replica."));
  EXPECT_TRUE(isFailoverError("LOADING Redis is loading the dataset in memory"));
  EXPECT_TRUE(isFailoverError("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."));
  EXPECT_TRUE(isFailoverError("UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"));
  EXPECT_TRUE(isFailoverError("NOREPLICAS Not enough good replicas to write."));
  EXPECT_FALSE(isFailoverError("WRONGTYPE Operation against a key holding the wrong kind of value"));
  EXPECT_FALSE(isFailoverError("ERR syntax error"));
  EXPECT_FALSE(isFailoverError(""));
}

}  // namespace
}  // namespace im::common
