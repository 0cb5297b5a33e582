// SPDX-License-Identifier: MIT
// AdminCli.h - im-admin run against the stack's own config, as an operator would, for the
// admin tests (AdminTest.cc, AdminAccountsTest.cc).
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <string>

#include "tests/integration/Stack.h"
#include "tests/support/ChildProcess.h"

namespace im::test {

inline Poco::JSON::Array::Ptr parseArray(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
}

// im-admin ARGS, with `stdinLine` (no single quote in it) on its stdin, through sh: runCommand
// has no stdin.
inline CommandResult runAdmin(const Stack& stack, const std::string& args, const std::string& stdinLine = "") {
  const std::string command = "printf '%s\\n' '" + stdinLine + "' | " + std::string(IM_BINARY_DIR) +
                              "/admin/im-admin --config=" + stack.varDir() + "/im.properties " + args;
  return runCommand({"sh", "-c", command});
}

}  // namespace im::test
