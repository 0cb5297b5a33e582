// SPDX-License-Identifier: MIT
// RouterTest.cc - route matching, path ids, 404/405 and the Allow header.
#include "fcgi/Router.h"

#include <gtest/gtest.h>

#include "common/ApiError.h"
#include "common/Clock.h"
#include "fcgi/Services.h"
#include "fcgi/process/WorkerLoop.h"

namespace im::fcgi {
namespace {

Response okGet(const Request& r, Services&) { return Response::json(200, "get:" + std::to_string(r.pathId())); }
Response okPost(const Request& r, Services&) { return Response::json(200, "post:" + std::to_string(r.pathId())); }

// Services connect lazily, so building them needs no server.
struct RouterTest : ::testing::Test {
  common::SystemClock clock;
  Services services{common::Config{}, clock};
};

TEST(MatchPattern, MatchesLiteralPathsExactly) {
  EXPECT_TRUE(matchPattern("/im/send", "/im/send", nullptr));
  EXPECT_FALSE(matchPattern("/im/send", "/im/send/", nullptr));
  EXPECT_FALSE(matchPattern("/im/send", "/im/sen", nullptr));
}

TEST(MatchPattern, ExtractsAPositiveIdSegment) {
  std::vector<uint64_t> ids;
  EXPECT_TRUE(matchPattern("/im/groups/{id}/join", "/im/groups/42/join", &ids));
  EXPECT_EQ(ids, std::vector<uint64_t>{42});
  EXPECT_TRUE(matchPattern("/im/groups/{id}", "/im/groups/18446744073709551615", &ids));
  EXPECT_EQ(ids, std::vector<uint64_t>{18446744073709551615ull});
  for (const char* bad : {"/im/groups/", "/im/groups/0", "/im/groups/x", "/im/groups/-1", "/im/groups/7/join",
                          "/im/groups/+7", "/im/groups/18446744073709551616"}) {
    EXPECT_FALSE(matchPattern("/im/groups/{id}", bad, nullptr)) << bad;
  }
}

TEST(MatchPattern, ExtractsEveryIdSegmentInOrder) {
  std::vector<uint64_t> ids;
  EXPECT_TRUE(matchPattern("/im/groups/{id}/members/{id}", "/im/groups/7/members/4", &ids));
  EXPECT_EQ(ids, (std::vector<uint64_t>{7, 4}));
  EXPECT_TRUE(matchPattern("/im/groups/{id}/members/{id}", "/im/groups/18446744073709551615/members/1", &ids));
  EXPECT_EQ(ids, (std::vector<uint64_t>{18446744073709551615ull, 1}));
  // Either id bad, a segment missing or extra, or the literal between them wrong: no match.
  for (const char* bad : {"/im/groups/7/members/", "/im/groups/7/members", "/im/groups//members/4",
                          "/im/groups/0/members/4", "/im/groups/7/members/0", "/im/groups/7/members/x",
                          "/im/groups/7/members/4/", "/im/groups/7/members/4/5", "/im/groups/7/member/4",
                          "/im/groups/7/4", "/im/groups/a/members/4", "/im/groups/7/members/18446744073709551616",
                          "/im/groups/7/members/-4", "/im/groups/7/members/4x"}) {
    ids = {99};
    EXPECT_FALSE(matchPattern("/im/groups/{id}/members/{id}", bad, &ids)) << bad;
    EXPECT_EQ(ids, std::vector<uint64_t>{99}) << "a failed match must not touch the ids: " << bad;
  }
  EXPECT_FALSE(matchPattern("/im/groups/{id}", "/im/groups/7/members/4", nullptr));
  EXPECT_FALSE(matchPattern("/im/groups/{id}/members", "/im/groups/7/members/4", nullptr));
}

Response twoIds(const Request& r, Services&) {
  return Response::json(200, std::to_string(r.pathId(0)) + "," + std::to_string(r.pathId(1)) + "," +
                                 std::to_string(r.pathId(2)));
}

TEST_F(RouterTest, TwoIdRoutesDispatchByMethodWithBothIds) {
  const Router router({{"DELETE", "/g/{id}/m/{id}", twoIds}, {"PATCH", "/g/{id}/m/{id}", okPost}});
  Request del("DELETE", "/g/7/m/4");
  EXPECT_EQ(router.dispatch(del, services).body(), "7,4,0");  // past the last id: 0
  Request patch("PATCH", "/g/7/m/4");
  EXPECT_EQ(router.dispatch(patch, services).body(), "post:7");
  Request get("GET", "/g/7/m/4");
  EXPECT_THROW(router.dispatch(get, services), common::ApiError);
  EXPECT_EQ(router.allowedMethods("/g/7/m/4"), "DELETE, PATCH");
}

TEST_F(RouterTest, TheApiTableHasTheGroupManagementRoutes) {
  const Router router;
  EXPECT_EQ(router.allowedMethods("/im/groups/7"), "GET, PATCH");
  EXPECT_EQ(router.allowedMethods("/im/groups/7/members"), "POST");
  EXPECT_EQ(router.allowedMethods("/im/groups/7/members/4"), "DELETE, PATCH");
  EXPECT_EQ(router.allowedMethods("/im/groups/7/members/0"), "");
  EXPECT_EQ(router.allowedMethods("/im/groups/7/leave"), "POST");
}

TEST_F(RouterTest, WorkerAnswers405WithAllowOnATwoIdRoute) {
  WorkerLoop loop(-1, services);
  Request r("GET", "/im/groups/7/members/4");
  const Response response = loop.serve(r);
  EXPECT_EQ(response.status(), 405);
  EXPECT_EQ(response.headerValue("Allow"), "DELETE, PATCH");
  Request unknown("DELETE", "/im/groups/7/members/x");
  EXPECT_EQ(loop.serve(unknown).status(), 404);
}

TEST_F(RouterTest, DispatchesByMethodAndSetsThePathId) {
  const Router router({{"GET", "/g/{id}", okGet}, {"POST", "/g/{id}", okPost}});
  Request get("GET", "/g/7");
  EXPECT_EQ(router.dispatch(get, services).body(), "get:7");
  Request post("POST", "/g/9");
  EXPECT_EQ(router.dispatch(post, services).body(), "post:9");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  const Router router;
  Request r("GET", "/im/nope");
  try {
    router.dispatch(r, services);
    FAIL();
  } catch (const common::ApiError& e) {
    EXPECT_EQ(e.code(), common::ErrorCode::NotFound);
  }
}

TEST_F(RouterTest, KnownPathWithAnotherMethodIsMethodNotAllowed) {
  const Router router;
  Request r("DELETE", "/im/groups");
  try {
    router.dispatch(r, services);
    FAIL();
  } catch (const common::ApiError& e) {
    EXPECT_EQ(e.code(), common::ErrorCode::MethodNotAllowed);
  }
  EXPECT_EQ(router.allowedMethods("/im/groups"), "POST, GET");
  EXPECT_EQ(router.allowedMethods("/im/groups/3/join"), "POST");
  EXPECT_EQ(router.allowedMethods("/im/poll"), "GET");
  EXPECT_EQ(router.allowedMethods("/im/nope"), "");
}

TEST_F(RouterTest, WorkerAnswers405WithAllowAndTheErrorBody) {
  WorkerLoop loop(-1, services);
  Request r("GET", "/im/send");
  const Response response = loop.serve(r);
  EXPECT_EQ(response.status(), 405);
  EXPECT_EQ(response.headerValue("Allow"), "POST");
  EXPECT_EQ(response.headerValue("Content-Type"), "application/json; charset=utf-8");
  EXPECT_NE(response.body().find(R"("error":"method_not_allowed")"), std::string::npos);
}

TEST_F(RouterTest, WorkerAnswers404ForAnUnknownRoute) {
  WorkerLoop loop(-1, services);
  Request r("GET", "/im/groups/0");
  const Response response = loop.serve(r);
  EXPECT_EQ(response.status(), 404);
  EXPECT_EQ(response.body(), R"({"error":"not_found","message":"No such endpoint."})");
}

TEST_F(RouterTest, WorkerAnswers401WithoutAToken) {
  WorkerLoop loop(-1, services);
  Request r("GET", "/im/poll");
  EXPECT_EQ(loop.serve(r).status(), 401);
}

}  // namespace
}  // namespace im::fcgi
