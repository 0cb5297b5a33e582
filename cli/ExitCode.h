// SPDX-License-Identifier: MIT
// ExitCode.h - what im-cli's exit status says failed (documented in --help), and the
// mapping from an HTTP failure to it, so scripts can tell a wrong password from a down server.
#pragma once

#include "cli/ApiFailure.h"

namespace im::cli {

enum class ExitCode : int {
  Ok = 0,
  Failure = 1,      // anything not listed below
  Usage = 2,        // bad command line
  Auth = 3,         // wrong password, token refused (401)
  NotFound = 4,     // unknown user or group (404)
  Unavailable = 5,  // server unreachable, 5xx, or 503 unavailable
  Forbidden = 6,    // not a member, not allowed (403)
  Conflict = 7,     // username taken (409)
  Rejected = 8,     // the server refused the input: 400, 413, 429
};

ExitCode exitCodeFor(const ApiFailure& failure);

inline int toInt(ExitCode code) { return static_cast<int>(code); }

}  // namespace im::cli
