// SPDX-License-Identifier: MIT
// ExitCodeTest.cc - HTTP failures become the exit codes --help documents.
#include "cli/ExitCode.h"

#include <gtest/gtest.h>

namespace im::cli {
namespace {

TEST(ExitCode, EachFailureHasItsCode) {
  EXPECT_EQ(exitCodeFor(ApiFailure(401, "unauthorized", "x")), ExitCode::Auth);
  EXPECT_EQ(exitCodeFor(ApiFailure(404, "not_found", "x")), ExitCode::NotFound);
  EXPECT_EQ(exitCodeFor(ApiFailure(0, "", "refused")), ExitCode::Unavailable);
  EXPECT_EQ(exitCodeFor(ApiFailure(503, "unavailable", "x")), ExitCode::Unavailable);
  EXPECT_EQ(exitCodeFor(ApiFailure(502, "", "x")), ExitCode::Unavailable);
  EXPECT_EQ(exitCodeFor(ApiFailure(403, "forbidden", "x")), ExitCode::Forbidden);
  EXPECT_EQ(exitCodeFor(ApiFailure(409, "conflict", "x")), ExitCode::Conflict);
  EXPECT_EQ(exitCodeFor(ApiFailure(429, "rate_limited", "x", 3)), ExitCode::Rejected);
  EXPECT_EQ(exitCodeFor(ApiFailure(418, "", "x")), ExitCode::Failure);
  EXPECT_EQ(toInt(ExitCode::Usage), 2);
}

TEST(ApiFailure, TellsAMissingEndpointFromAnUnknownName) {
  EXPECT_TRUE(ApiFailure(404, "not_found", "No such endpoint.").missingEndpoint());
  EXPECT_FALSE(ApiFailure(404, "not_found", "No such user.").missingEndpoint());
  EXPECT_TRUE(ApiFailure(0, "", "x").transient());
  EXPECT_TRUE(ApiFailure(429, "", "x").transient());
  EXPECT_FALSE(ApiFailure(400, "", "x").transient());
}

}  // namespace
}  // namespace im::cli
