// SPDX-License-Identifier: MIT
// ExitCode.cc - HTTP failure -> exit status.
#include "cli/ExitCode.h"

namespace im::cli {

ExitCode exitCodeFor(const ApiFailure& failure) {
  switch (failure.status()) {
    case 401: return ExitCode::Auth;
    case 403: return ExitCode::Forbidden;
    case 404: return ExitCode::NotFound;
    case 409: return ExitCode::Conflict;
    case 400:
    case 413:
    case 429: return ExitCode::Rejected;
    default: break;
  }
  return failure.status() == 0 || failure.status() >= 500 ? ExitCode::Unavailable : ExitCode::Failure;
}

}  // namespace im::cli
