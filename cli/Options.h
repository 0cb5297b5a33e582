// SPDX-License-Identifier: MIT
// Options.h - im-cli's command line (and the IM_URL / IM_USER defaults) as a struct, and the
// --help text with the exit codes. Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace im::cli {

struct Options {
  enum class Mode { Chat, Send, Tail, Help };
  Mode mode = Mode::Chat;
  std::string url = "http://127.0.0.1:8080";
  std::string user;
  bool registerFirst = false;  // --register
  bool keepSession = false;    // --keep-session: :q! does not log out
  std::string onMessage;       // --on-message CMD
  std::string device = "im-cli";
  std::string to;              // send --to USER
  std::string group;           // send --group GROUP (name or number)
  std::string text;            // send's words, joined by spaces
  std::string error;           // non-empty: a usage error
};

Options parseOptions(const std::vector<std::string>& args, const std::map<std::string, std::string>& env);

std::string usageText();

}  // namespace im::cli
