// SPDX-License-Identifier: MIT
// Sender.h - POST /im/send with a fresh client_msg_id, retried on transient failures with the
// same id, so a send whose answer was lost is never stored twice (API.md idempotent send).
#pragma once

#include <functional>
#include <string>

#include "cli/HttpApi.h"

namespace im::cli {

// 32 random hex digits.
std::string newClientMsgId();

// The send answer ({"msg_id", "created_at", "duplicate"}); throws the last ApiFailure after
// `attempts` tries. `onRetry` is told once, before the first retry.
JsonPtr sendWithRetry(HttpApi& api, const Peer& to, const std::string& body, int attempts,
                      const std::function<void(const std::string&)>& onRetry);

}  // namespace im::cli
