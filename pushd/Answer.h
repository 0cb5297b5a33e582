// SPDX-License-Identifier: MIT
// Answer.h - one poll's answer as PollRegistry hands it to PollServer: the body, and when the
// push leg that caused it began, so the server can time the leg once the answer is written.
#pragma once

#include <cstdint>
#include <string>

namespace im::pushd {

struct Answer {
  // The poll answer JSON (BufferedAnswer), with room reserved for the HTTP head in front.
  std::string body;
  // Stats::nowUs() of the Redis read of the batch that woke the poll (NotificationBatch::readUs);
  // 0 for an answer no notification caused (timeout, replacement, at once, shutdown): not timed.
  int64_t pushStartUs = 0;
};

}  // namespace im::pushd
