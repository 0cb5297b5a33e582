// SPDX-License-Identifier: MIT
// ScriptMode.h - the non-interactive commands: `send` (one message, then exit) and `tail` (one
// JSON line per received message on stdout until a signal), with exit codes for scripts.
#pragma once

#include "cli/Account.h"
#include "cli/ExitCode.h"
#include "cli/HttpApi.h"
#include "cli/Options.h"
#include "cli/SignalWatcher.h"
#include "cli/StateFile.h"

namespace im::cli {

// Prints the send answer as one JSON line.
ExitCode runSend(const Options& options, const Account& account, HttpApi& api);
ExitCode runTail(const Options& options, StateFile& state, HttpApi& api, SignalWatcher& signals);

}  // namespace im::cli
