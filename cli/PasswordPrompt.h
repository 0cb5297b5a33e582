// SPDX-License-Identifier: MIT
// PasswordPrompt.h - the password: $IM_PASSWORD when set, else asked on the terminal without echo.
#pragma once

#include <string>

namespace im::cli {

// Throws std::runtime_error when there is neither $IM_PASSWORD nor a terminal to ask on.
std::string readPassword(const std::string& user);

}  // namespace im::cli
