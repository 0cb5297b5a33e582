// SPDX-License-Identifier: MIT
// ConfigTest.cc - typed config: defaults, file < environment < command line, rejection of bad input.
#include "common/Config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

using namespace im::common;

TEST(Config, DefaultsMatchTheDocumentedValues) {
  const Config c = configFromMap({});
  EXPECT_EQ(c.poll.defaultTimeout, 30);
  EXPECT_EQ(c.poll.maxTimeout, 60);
  EXPECT_EQ(c.presenceWindowS, 60);
  EXPECT_EQ(c.auth.tokenIdleDays, 30);
  EXPECT_EQ(c.pushd.nodeId(), "127.0.0.1:9101");
}

TEST(Config, RejectsUnknownKeysAndNonNumbers) {
  EXPECT_THROW(configFromMap({{"mysql.prot", "1"}}), std::runtime_error);
  EXPECT_THROW(configFromMap({{"mysql.port", "12x"}}), std::runtime_error);
  EXPECT_THROW(configFromMap({{"mysql.port", "-1"}}), std::runtime_error);
  EXPECT_THROW(configFromMap({{"fcgi.workers", "0"}}), std::runtime_error);
  EXPECT_THROW(configFromMap({{"fcgi.send_batch", "0"}}), std::runtime_error);
  EXPECT_THROW(configFromMap({{"fcgi.send_batch", "17"}}), std::runtime_error);  // MessageStore::kMaxBatch
  EXPECT_EQ(configFromMap({{"fcgi.send_batch", "1"}}).fcgi.sendBatch, 1);
}

TEST(Config, AllowedOriginsAreAListOfExactOrigins) {
  EXPECT_TRUE(configFromMap({}).http.allowedOrigins.empty());
  const Config c = configFromMap({{"http.allowed_origins", "https://app.example.com, http://localhost:3000  https://[::1]:8443"}});
  EXPECT_EQ(c.http.allowedOrigins,
            (std::vector<std::string>{"https://app.example.com", "http://localhost:3000", "https://[::1]:8443"}));
  for (const char* bad : {"*", "app.example.com", "https://app.example.com/", "https://App.example.com", "https://",
                          "null"}) {
    EXPECT_THROW(configFromMap({{"http.allowed_origins", bad}}), std::runtime_error) << bad;
  }
}

TEST(Config, AMalformedHostListFailsAtLoadNotAtTheFirstQuery) {
  const Config c = configFromMap({{"mysql.hosts", "db1:3307, db2"}, {"mysql.replicas", "r1"}});
  EXPECT_EQ(c.mysql.hosts, "db1:3307, db2");
  EXPECT_EQ(c.mysql.replicas, "r1");
  EXPECT_THROW(configFromMap({{"mysql.hosts", "db1:0"}}), std::runtime_error);
  EXPECT_THROW(configFromMap({{"mysql.replicas", "r1:x"}}), std::runtime_error);
}

TEST(Config, SentinelModeNeedsAValidSentinelList) {
  EXPECT_TRUE(configFromMap({}).redis.sentinels.empty());  // no Sentinel: redis.host/port/socket
  const Config c = configFromMap({{"redis.sentinels", "127.0.0.1:26379,127.0.0.1:26380"}, {"redis.master_name", "chat"}});
  EXPECT_EQ(c.redis.sentinels, "127.0.0.1:26379,127.0.0.1:26380");
  EXPECT_EQ(c.redis.masterName, "chat");
  EXPECT_THROW(configFromMap({{"redis.sentinels", "127.0.0.1"}}), std::runtime_error);  // caught at start-up
  EXPECT_THROW(configFromMap({{"redis.sentinels", "127.0.0.1:26379"}, {"redis.master_name", ""}}), std::runtime_error);
}

TEST(Config, CommandLineBeatsEnvironmentBeatsFile) {
  const std::string path = ::testing::TempDir() + "im-config-test.properties";
  {
    std::ofstream f(path);
    f << "# comment\nmysql.port = 1111\nredis.port = 2222\npushd.port = 3333\nmysql.password = s3cret\n";
  }
  ::setenv("IM_REDIS_PORT", "4444", 1);
  ::setenv("IM_PUSHD_PORT", "5555", 1);
  ::setenv("IM_PORT", "8080", 1);  // a script variable, not a config key: ignored
  const Config c = loadConfig(path, {"pushd.port=6666"});
  ::unsetenv("IM_REDIS_PORT");
  ::unsetenv("IM_PUSHD_PORT");
  ::unsetenv("IM_PORT");
  std::remove(path.c_str());
  EXPECT_EQ(c.mysql.port, 1111);
  EXPECT_EQ(c.mysql.password, "s3cret");
  EXPECT_EQ(c.redis.port, 4444);
  EXPECT_EQ(c.pushd.port, 6666);
}

TEST(Config, OverrideWithoutEqualsSignIsAnError) {
  EXPECT_THROW(loadConfig("", {"pushd.port"}), std::runtime_error);
}

TEST(Config, EveryKeyIsListedWithItsDefaultAndMeaning) {
  const auto keys = configKeys();
  std::map<std::string, std::string> defaults;
  for (const auto& k : keys) {
    EXPECT_FALSE(k.meaning.empty()) << k.key;
    EXPECT_TRUE(defaults.emplace(k.key, k.defaultValue).second) << k.key << " declared twice";
    EXPECT_NO_THROW(configFromMap({{k.key, k.defaultValue}})) << k.key << " does not accept its own default";
  }
  EXPECT_EQ(defaults.at("fcgi.workers"), "4");
  EXPECT_EQ(defaults.at("mysql.password"), "");
  EXPECT_EQ(defaults.at("fcgi.slow_ms"), "1000");
  EXPECT_NE(configKeysHelp().find("  log.file = "), std::string::npos);
}

TEST(Config, LogLevelPerComponentIsReadAndABadLevelOrComponentIsAnError) {
  const Config c = configFromMap({{"log.level", "warning"}, {"log.level.poll", "debug"}, {"log.level.master", "error"}});
  EXPECT_EQ(c.logLevel, "warning");
  EXPECT_EQ(c.logLevels, (std::map<std::string, std::string>{{"master", "error"}, {"poll", "debug"}}));
  EXPECT_THROW(configFromMap({{"log.level.poll", "loud"}}), std::runtime_error);
  EXPECT_THROW(configFromMap({{"log.level", "warn"}}), std::runtime_error);
  EXPECT_THROW(configFromMap({{"log.level.", "debug"}}), std::runtime_error);
  EXPECT_THROW(configFromMap({{"log.level.Poll x", "debug"}}), std::runtime_error);
  EXPECT_NE(configKeysHelp().find("  log.level.<component> = "), std::string::npos);
}
