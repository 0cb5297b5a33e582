// SPDX-License-Identifier: MIT
// Account.h - signing in: the saved session token when the server still takes it, else a login
// with the password (registering first with --register); the token and user id go to the state file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "cli/HttpApi.h"
#include "cli/Options.h"
#include "cli/StateFile.h"

namespace im::cli {

class Account {
 public:
  using PasswordSource = std::function<std::string()>;

  Account(const Options& options, StateFile& state, HttpApi& api, PasswordSource password);

  // Leaves `api` with a working token. Throws ApiFailure (401 for a wrong password).
  void signIn();
  // :q! without --keep-session: revokes the token and forgets it (the cursor stays).
  void signOut();

  uint64_t userId() const { return userId_; }
  const std::string& token() const { return token_; }

 private:
  void login();

  const Options& options_;
  StateFile& state_;
  HttpApi& api_;
  PasswordSource password_;
  uint64_t userId_ = 0;
  std::string token_;
};

}  // namespace im::cli
