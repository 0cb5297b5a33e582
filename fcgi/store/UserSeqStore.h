// SPDX-License-Identifier: MIT
// UserSeqStore.h - a user's last allocated inbox seq, read on any connection (the primary or a
// replica): ReadReplica compares the two to know whether a replica has every message of the user.
#pragma once

#include <cstdint>

#include "fcgi/Db.h"

namespace im::fcgi {

// inbox_counters.last_seq of `uid` as `db` sees it (0 for an unknown user). Throws ApiError
// Unavailable when `db` does not answer.
uint64_t lastSeqOf(Db& db, uint64_t uid);

}  // namespace im::fcgi
