// SPDX-License-Identifier: MIT
// PollCursor.h - the poll's `since` against the mailbox (API.md "GET /im/poll"): a since above
// the mailbox's last seq is a client bug (a cursor from another server, a reset database). Pure.
#pragma once

#include <cstdint>

namespace im::common {

// ApiError(BadRequest) saying the mailbox's last seq when `since` > `lastSeq`.
void checkSince(uint64_t since, uint64_t lastSeq);

}  // namespace im::common
