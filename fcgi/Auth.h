// SPDX-License-Identifier: MIT
// Auth.h - bearer token -> live device session (401 otherwise), and the login check.
#pragma once

#include <string>

#include "fcgi/Request.h"
#include "fcgi/Services.h"

namespace im::fcgi {

// The caller's session; ApiError(Unauthorized) for a missing, unknown, idle or revoked token.
// From the token cache when it has the token (then seqsRead is false), else from MySQL (which
// fills the cache). Touches last_used_at at most once an hour.
AuthSession authenticate(const Request& request, Services& services);
// The same from MySQL, with ackedSeq and lastSeq as they are now.
AuthSession authenticateInMysql(const Request& request, Services& services);

// The user id when `password` is right; ApiError(Unauthorized) with one message for a wrong
// name and a wrong password alike (an unknown name still costs one hash verification).
uint64_t checkPassword(const std::string& username, const std::string& password, Services& services);

// Days of auth.token_idle_days as milliseconds.
int64_t idleLimitMs(const common::Config& config);

}  // namespace im::fcgi
