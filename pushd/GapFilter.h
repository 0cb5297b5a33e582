// SPDX-License-Identifier: MIT
// GapFilter.h - the rule of invariant 4: answer only seqs consecutive from since + 1.
// Pure: no clock, no I/O.
#pragma once

#include <cstdint>

#include "pushd/BufferedMessage.h"

namespace im::pushd {

struct GapRun {
  uint64_t first = 0;   // since + 1 when count > 0
  uint32_t count = 0;   // length of the deliverable run, at most the limit
  bool gap = false;     // nothing deliverable, yet seqs > since are buffered: since + 1 is missing

  bool empty() const { return count == 0; }
  uint64_t last() const { return first + count - 1; }
};

class GapFilter {
 public:
  // The run of `buffered` (may be null) consecutive from since + 1, at most `limit` long.
  // Seqs <= since are stale (already acknowledged) and ignored.
  static GapRun select(uint64_t since, uint32_t limit, const SeqBuffer* buffered);
};

}  // namespace im::pushd
