// SPDX-License-Identifier: MIT
// ApiErrorTest.cc - the error vocabulary matches API.md's table and renders its body shape.
#include "common/ApiError.h"

#include <gtest/gtest.h>

using namespace im::common;

TEST(ApiError, MapsEveryCodeToTheStatusOfTheApiTable) {
  EXPECT_EQ(toHttpStatus(ErrorCode::BadRequest), 400);
  EXPECT_EQ(toHttpStatus(ErrorCode::Unauthorized), 401);
  EXPECT_EQ(toHttpStatus(ErrorCode::Forbidden), 403);
  EXPECT_EQ(toHttpStatus(ErrorCode::NotFound), 404);
  EXPECT_EQ(toHttpStatus(ErrorCode::MethodNotAllowed), 405);
  EXPECT_EQ(toHttpStatus(ErrorCode::Conflict), 409);
  EXPECT_EQ(toHttpStatus(ErrorCode::TooLarge), 413);
  EXPECT_EQ(toHttpStatus(ErrorCode::RateLimited), 429);
  EXPECT_EQ(toHttpStatus(ErrorCode::Unavailable), 503);
}

TEST(ApiError, UsesTheWireCodesOfTheApiTable) {
  EXPECT_EQ(toCode(ErrorCode::BadRequest), "bad_request");
  EXPECT_EQ(toCode(ErrorCode::MethodNotAllowed), "method_not_allowed");
  EXPECT_EQ(toCode(ErrorCode::TooLarge), "too_large");
  EXPECT_EQ(toCode(ErrorCode::RateLimited), "rate_limited");
  EXPECT_EQ(toCode(ErrorCode::Unavailable), "unavailable");
}

TEST(ApiError, RendersErrorAndMessageWithEscaping) {
  EXPECT_EQ(renderError(ErrorCode::NotFound, "No user \"bob\"."),
            R"({"error":"not_found","message":"No user \"bob\"."})");
}

TEST(ApiError, CarriesRetryAfterForRateLimits) {
  const ApiError e = ApiError(ErrorCode::RateLimited, "Slow down.").withRetryAfter(7);
  EXPECT_EQ(e.code(), ErrorCode::RateLimited);
  EXPECT_EQ(e.retryAfter(), 7);
  EXPECT_STREQ(e.what(), "Slow down.");
}
