// SPDX-License-Identifier: MIT
// PollCursorTest.cc - the since check: up to the last seq passes, beyond it is 400 naming that seq.
#include "common/PollCursor.h"

#include <gtest/gtest.h>

#include <string>

#include "common/ApiError.h"

namespace im::common {
namespace {

TEST(PollCursor, SinceUpToTheLastSeqPasses) {
  EXPECT_NO_THROW(checkSince(0, 0));
  EXPECT_NO_THROW(checkSince(0, 17));
  EXPECT_NO_THROW(checkSince(17, 17));
}

TEST(PollCursor, SinceBeyondTheLastSeqIsABadRequestSayingTheLastSeq) {
  try {
    checkSince(50, 17);
    FAIL() << "no error for since 50 > 17";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::BadRequest);
    EXPECT_EQ(std::string(e.what()), "since 50 is beyond this mailbox's last seq 17.");
  }
  EXPECT_THROW(checkSince(1, 0), ApiError);
  EXPECT_THROW(checkSince(UINT64_MAX, UINT64_MAX - 1), ApiError);
}

}  // namespace
}  // namespace im::common
