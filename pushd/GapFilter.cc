// SPDX-License-Identifier: MIT
// GapFilter.cc - walks the buffered seqs after `since` while they stay consecutive.
#include "pushd/GapFilter.h"

namespace im::pushd {

GapRun GapFilter::select(uint64_t since, uint32_t limit, const SeqBuffer* buffered) {
  GapRun run;
  if (!buffered) return run;
  auto it = buffered->upper_bound(since);
  if (it == buffered->end()) return run;
  if (it->first != since + 1) {
    // Delivering a later seq alone would let the next poll acknowledge the missing one unseen.
    run.gap = true;
    return run;
  }
  run.first = since + 1;
  uint64_t expected = since + 1;
  while (it != buffered->end() && it->first == expected && run.count < limit) {
    ++run.count;
    ++expected;
    ++it;
  }
  return run;
}

}  // namespace im::pushd
