// SPDX-License-Identifier: MIT
// DbRetry.h - what a failed MariaDB call means for its transaction: retry it whole (Galera's
// certification conflict, a node not ready, a lost connection before COMMIT), retry only if the
// caller is idempotent (the outcome of a COMMIT is unknown), or give up (503). Pure; Db applies it.
#pragma once

#include <cstdint>

namespace im::fcgi {

// MariaDB error numbers the stores handle themselves.
inline constexpr int kErrDuplicateKey = 1062;
inline constexpr int kErrLockWaitTimeout = 1205;
inline constexpr int kErrDeadlock = 1213;  // also Galera's certification failure
inline constexpr int kErrWsrepNotReady = 1047;  // a Galera node outside the primary component, or a donor

enum class DbVerdict {
  Retry,              // nothing was committed: run the whole transaction again
  RetryIfIdempotent,  // a COMMIT (or an autocommit write) may or may not have happened
  GiveUp,             // the same request would fail the same way
};

// `sentCommit`: the failed attempt had sent a COMMIT or an autocommit write.
DbVerdict classifyDbError(int code, bool sentCommit);
// The connection is gone after this error (server died, network, timeout): reconnect elsewhere.
bool dbConnectionLost(int code);
// The node answered but must not be used now (Galera not Synced): try the next node.
bool dbNodeUnusable(int code);
// How long to wait before attempt `attempt` (2, 3, ...): a random draw `draw` in [0, 1) spread
// over a window that doubles each attempt (5, 10, 20 ... ms, at most 200), so that two
// transactions that conflicted do not collide again in lock step.
int64_t dbRetryDelayMs(int attempt, double draw);

}  // namespace im::fcgi
