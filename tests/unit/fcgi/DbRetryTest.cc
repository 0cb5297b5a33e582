// SPDX-License-Identifier: MIT
// DbRetryTest.cc - which MariaDB errors rerun a whole transaction, and the jittered back-off.
#include "fcgi/DbRetry.h"

#include <gtest/gtest.h>

namespace im::fcgi {
namespace {

TEST(DbRetry, CertificationConflictsDeadlocksAndNotReadyNodesRetryEvenAfterCommit) {
  for (const int code : {kErrDeadlock, kErrLockWaitTimeout, kErrWsrepNotReady}) {
    EXPECT_EQ(classifyDbError(code, false), DbVerdict::Retry) << code;
    EXPECT_EQ(classifyDbError(code, true), DbVerdict::Retry) << code;  // the COMMIT itself was refused
  }
}

TEST(DbRetry, ALostConnectionRetriesBeforeCommitAndOnlyIdempotentWorkAfter) {
  for (const int code : {2006, 2013, 2055, 1927}) {
    EXPECT_EQ(classifyDbError(code, false), DbVerdict::Retry) << code;
    EXPECT_EQ(classifyDbError(code, true), DbVerdict::RetryIfIdempotent) << code;
    EXPECT_TRUE(dbConnectionLost(code)) << code;
  }
}

TEST(DbRetry, OtherErrorsGiveUp) {
  for (const int code : {kErrDuplicateKey, 1064, 1146, 1452, 1406}) {
    EXPECT_EQ(classifyDbError(code, false), DbVerdict::GiveUp) << code;
    EXPECT_FALSE(dbConnectionLost(code)) << code;
  }
}

TEST(DbRetry, OnlyWsrepNotReadyMakesANodeUnusable) {
  EXPECT_TRUE(dbNodeUnusable(kErrWsrepNotReady));
  EXPECT_FALSE(dbNodeUnusable(kErrDeadlock));
  EXPECT_FALSE(dbNodeUnusable(2013));
}

TEST(DbRetry, TheBackOffWindowDoublesUpToItsCapAndIsNeverZero) {
  EXPECT_EQ(dbRetryDelayMs(2, 0.0), 1);
  EXPECT_EQ(dbRetryDelayMs(2, 0.999), 5);
  EXPECT_EQ(dbRetryDelayMs(3, 0.999), 10);
  EXPECT_EQ(dbRetryDelayMs(4, 0.999), 20);
  EXPECT_EQ(dbRetryDelayMs(4, 0.5), 11);
  EXPECT_EQ(dbRetryDelayMs(20, 0.999), 200);
}

}  // namespace
}  // namespace im::fcgi
