// SPDX-License-Identifier: MIT
// PollCursor.cc - the since check.
#include "common/PollCursor.h"

#include <string>

#include "common/ApiError.h"

namespace im::common {

void checkSince(uint64_t since, uint64_t lastSeq) {
  if (since <= lastSeq) return;
  throw ApiError(ErrorCode::BadRequest, "since " + std::to_string(since) + " is beyond this mailbox's last seq " +
                                            std::to_string(lastSeq) + ".");
}

}  // namespace im::common
