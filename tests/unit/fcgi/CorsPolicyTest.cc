// SPDX-License-Identifier: MIT
// CorsPolicyTest.cc - who is a CORS caller, the preflight answer, and the worker's refusal.
#include "fcgi/CorsPolicy.h"

#include <gtest/gtest.h>

#include "common/Clock.h"
#include "common/Config.h"
#include "fcgi/Services.h"
#include "fcgi/process/WorkerLoop.h"

namespace im::fcgi {
namespace {

using Verdict = CorsPolicy::Verdict;

const CorsPolicy kPolicy({"https://app.example.com", "http://localhost:3000"});

TEST(CorsPolicy, NoOriginOrTheSameHostIsNoCorsRequest) {
  EXPECT_EQ(kPolicy.judge("", "im.example.com"), Verdict::NotCors);
  EXPECT_EQ(kPolicy.judge("https://im.example.com", "im.example.com"), Verdict::NotCors);
  EXPECT_EQ(kPolicy.judge("http://127.0.0.1:8080", "127.0.0.1:8080"), Verdict::NotCors);
  EXPECT_EQ(kPolicy.judge("https://IM.example.com", "im.example.com"), Verdict::NotCors);
}

TEST(CorsPolicy, OnlyListedOriginsAreAllowedExactly) {
  EXPECT_EQ(kPolicy.judge("https://app.example.com", "im.example.com"), Verdict::Allowed);
  EXPECT_EQ(kPolicy.judge("http://localhost:3000", "im.example.com"), Verdict::Allowed);
  for (const char* o : {"https://evil.example", "http://app.example.com", "https://app.example.com:444",
                        "https://app.example.com.evil", "null", "https://app.example.com/"}) {
    EXPECT_EQ(kPolicy.judge(o, "im.example.com"), Verdict::Refused) << o;
  }
  // Another port of the same host is another origin.
  EXPECT_EQ(kPolicy.judge("http://127.0.0.1:9999", "127.0.0.1:8080"), Verdict::Refused);
}

TEST(CorsPolicy, PreflightNamesTheOriginMethodsHeadersAndMaxAge) {
  const Response r = kPolicy.preflight("https://app.example.com");
  EXPECT_EQ(r.status(), 204);
  EXPECT_EQ(r.headerValue("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(r.headerValue("Vary"), "Origin");
  EXPECT_EQ(r.headerValue("Access-Control-Allow-Headers"), "Authorization, Content-Type");
  EXPECT_NE(r.headerValue("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  EXPECT_EQ(r.headerValue("Access-Control-Max-Age"), "600");
}

// The worker's decision without any server: no route is reached for a refused origin, and the
// health check (which needs MariaDB) is never called.
class CorsWorkerTest : public ::testing::Test {
 protected:
  static common::Config config() {
    common::Config c;
    c.http.allowedOrigins = {"https://app.example.com"};
    c.mysql.port = 1;  // nothing listens: a request that got through would answer 503
    c.redis.port = 1;
    return c;
  }
  Response serve(const std::string& method, const std::string& path, const std::string& origin) {
    Request r(method, path);
    r.setOrigin(origin, "im.example.com");
    return loop.serve(r);
  }

  common::SystemClock clock;
  Services services{config(), clock};
  WorkerLoop loop{-1, services};
};

TEST_F(CorsWorkerTest, AListedOriginsPreflightIsAnsweredWithoutRouting) {
  const Response r = serve("OPTIONS", "/im/send", "https://app.example.com");
  EXPECT_EQ(r.status(), 204);
  EXPECT_EQ(r.headerValue("Access-Control-Allow-Origin"), "https://app.example.com");
}

TEST_F(CorsWorkerTest, AListedOriginsAnswersCarryTheOriginEvenErrors) {
  const Response r = serve("GET", "/im/nope", "https://app.example.com");
  EXPECT_EQ(r.status(), 404);
  EXPECT_EQ(r.headerValue("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(r.headerValue("Vary"), "Origin");
}

TEST_F(CorsWorkerTest, AnUnlistedOriginIsRefusedWith403AndNoCorsHeader) {
  for (const char* method : {"OPTIONS", "POST", "GET"}) {
    const Response r = serve(method, "/im/send", "https://evil.example");
    EXPECT_EQ(r.status(), 403) << method;
    EXPECT_NE(r.body().find("\"error\":\"forbidden\""), std::string::npos) << r.body();
    EXPECT_EQ(r.headerValue("Access-Control-Allow-Origin"), "");
  }
}

TEST_F(CorsWorkerTest, WithoutOriginNothingChanges) {
  const Response r = serve("OPTIONS", "/im/send", "");
  EXPECT_EQ(r.status(), 405);
  EXPECT_EQ(r.headerValue("Access-Control-Allow-Origin"), "");
}

}  // namespace
}  // namespace im::fcgi
