// SPDX-License-Identifier: MIT
// Account.cc - register, login, token reuse.
#include "cli/Account.h"

#include "cli/ApiFailure.h"

namespace im::cli {

Account::Account(const Options& options, StateFile& state, HttpApi& api, PasswordSource password)
    : options_(options), state_(state), api_(api), password_(std::move(password)) {}

void Account::signIn() {
  const ClientState saved = state_.load();
  if (!options_.registerFirst && !saved.token.empty() && saved.userId != 0) {
    api_.setToken(saved.token);
    try {
      api_.groups();  // cheap, and proves the token still works
      token_ = saved.token;
      userId_ = saved.userId;
      return;
    } catch (const ApiFailure& e) {
      if (e.status() != 401) throw;
      api_.setToken("");  // revoked or expired: log in again below
    }
  }
  login();
}

void Account::login() {
  const std::string password = password_();
  if (options_.registerFirst) {
    try {
      api_.registerUser(options_.user, password);
    } catch (const ApiFailure& e) {
      if (e.status() != 409) throw;  // already registered: logging in is what is left to do
    }
  }
  const JsonPtr answer = api_.login(options_.user, password, options_.device);
  token_ = answer->getValue<std::string>("token");
  userId_ = answer->getValue<uint64_t>("user_id");
  api_.setToken(token_);
  state_.setSession(token_, userId_);
  // A first start on this machine: from the mailbox's position at login (API.md `next`), so the
  // past is read through :h, not replayed; a server without `next` gives the whole inbox.
  if (!state_.current().hasCursor) state_.setCursor(answer->optValue<uint64_t>("next", 0));
}

void Account::signOut() {
  try {
    api_.logout();
  } catch (const ApiFailure& e) {
    if (e.status() != 401) throw;  // already gone is as good as logged out
  }
  state_.setSession("", userId_);
}

}  // namespace im::cli
