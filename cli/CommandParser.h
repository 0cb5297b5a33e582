// SPDX-License-Identifier: MIT
// CommandParser.h - one typed line -> a Command, in CIM's syntax (`bob;;hi`, `@bob hi`, `#ops hi`,
// `:to bob`, `:olu`, ...). Pure: no I/O, names are not resolved here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace im::cli {

struct Command {
  enum class Kind {
    Empty, Invalid, SendCurrent, Send, SwitchTo, OnlineUsers, FindUsers, Search, History,
    Conversations, Groups, CreateGroup, AddMembers, Kick, Join, Leave, Info, Help, Quit,
  };
  Kind kind = Kind::Empty;
  // Send / SwitchTo / group commands: a user name, or a group's name or number (no '@' / '#').
  std::string target;
  bool targetIsGroup = false;
  std::string text;                // message body, search keyword, name prefix, new group's name
  std::vector<std::string> users;  // :gc / :add / :kick user names
  int count = 0;                   // :h n (0 = the default)
  std::string error;               // Invalid: a sentence for the user
};

Command parseCommand(std::string_view line);

// Every command with a line of help, for :help / :all.
std::string helpText();

}  // namespace im::cli
