// SPDX-License-Identifier: MIT
// DbRetry.cc - the error classes of DbRetry.h.
#include "fcgi/DbRetry.h"

#include <algorithm>

namespace im::fcgi {

bool dbConnectionLost(int code) {
  // CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR, CR_SERVER_GONE_ERROR, CR_SERVER_LOST,
  // CR_SERVER_LOST_EXTENDED, ER_CONNECTION_KILLED (the server shuts down).
  return code == 2002 || code == 2003 || code == 2006 || code == 2013 || code == 2055 || code == 1927;
}

bool dbNodeUnusable(int code) { return code == kErrWsrepNotReady; }

DbVerdict classifyDbError(int code, bool sentCommit) {
  // A deadlock or a certification conflict rolls the whole transaction back; so does a lock wait
  // timeout once Db has rolled back (MariaDB itself only undoes the statement); a node that is
  // not ready refuses the statement before running it.
  if (code == kErrDeadlock || code == kErrLockWaitTimeout || dbNodeUnusable(code)) return DbVerdict::Retry;
  if (dbConnectionLost(code)) return sentCommit ? DbVerdict::RetryIfIdempotent : DbVerdict::Retry;
  return DbVerdict::GiveUp;
}

int64_t dbRetryDelayMs(int attempt, double draw) {
  const int64_t window = std::min<int64_t>(int64_t{5} << std::clamp(attempt - 2, 0, 6), 200);
  return 1 + static_cast<int64_t>(draw * static_cast<double>(window));
}

}  // namespace im::fcgi
