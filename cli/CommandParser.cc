// SPDX-License-Identifier: MIT
// CommandParser.cc - the grammar of a typed line.
#include "cli/CommandParser.h"

#include <charconv>

namespace im::cli {
namespace {

using Kind = Command::Kind;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Splits off the first word: "a b c" -> "a", rest "b c".
std::string_view firstWord(std::string_view& rest) {
  rest = trim(rest);
  const size_t end = rest.find_first_of(" \t");
  const std::string_view word = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : trim(rest.substr(end));
  return word;
}

std::vector<std::string> words(std::string_view rest) {
  std::vector<std::string> out;
  for (std::string_view w = firstWord(rest); !w.empty(); w = firstWord(rest)) out.emplace_back(w);
  return out;
}

bool isUsername(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Command invalid(std::string error) {
  Command c;
  c.kind = Kind::Invalid;
  c.error = std::move(error);
  return c;
}

std::string stripUser(std::string_view w) { return std::string(!w.empty() && w[0] == '@' ? w.substr(1) : w); }
std::string stripGroup(std::string_view w) { return std::string(!w.empty() && w[0] == '#' ? w.substr(1) : w); }

// `@bob hi`, `#ops hi`, `#7 hi`: the first word names the conversation.
Command sendTo(std::string_view line) {
  const bool group = line[0] == '#';
  std::string_view rest = line.substr(1);
  const std::string_view name = firstWord(rest);
  if (name.empty()) return invalid(std::string("name a ") + (group ? "group after '#'" : "user after '@'"));
  if (rest.empty()) return invalid("nothing to send: write the message after the name");
  Command c;
  c.kind = Kind::Send;
  c.target = std::string(name);
  c.targetIsGroup = group;
  c.text = std::string(rest);
  return c;
}

// `:to bob`, `:to @bob`, `:to #ops`.
Command switchTo(std::string_view rest) {
  const std::string_view name = firstWord(rest);
  if (name.empty()) return invalid(":to needs a user (bob) or a group (#ops)");
  Command c;
  c.kind = Kind::SwitchTo;
  c.targetIsGroup = name[0] == '#';
  c.target = c.targetIsGroup ? stripGroup(name) : stripUser(name);
  if (c.target.empty()) return invalid(":to needs a name");
  return c;
}

Command history(std::string_view rest) {
  Command c;
  c.kind = Kind::History;
  if (rest.empty()) return c;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), c.count);
  if (ec != std::errc() || end != rest.data() + rest.size() || c.count < 1 || c.count > 200) {
    return invalid(":h takes a number of messages from 1 to 200");
  }
  return c;
}

// :gc name user..., :add #g user..., :kick #g user, :join #g, :leave #g
Command groupCommand(Kind kind, std::string_view rest, size_t minUsers, size_t maxUsers, const char* usage) {
  Command c;
  c.kind = kind;
  const std::string_view first = firstWord(rest);
  c.users = words(rest);
  for (auto& u : c.users) u = stripUser(u);
  if (first.empty() || c.users.size() < minUsers || c.users.size() > maxUsers) return invalid(std::string("usage: ") + usage);
  if (kind == Kind::CreateGroup) {
    c.text = stripGroup(first);
  } else {
    c.target = stripGroup(first);
    c.targetIsGroup = true;
  }
  return c;
}

Command simple(Kind kind, std::string text = "") {
  Command c;
  c.kind = kind;
  c.text = std::move(text);
  return c;
}

Command colonCommand(std::string_view line) {
  std::string_view rest = line;
  const std::string_view word = firstWord(rest);
  if (word == ":q!") return simple(Kind::Quit);
  if (word == ":to") return switchTo(rest);
  if (word == ":olu") return simple(Kind::OnlineUsers);
  if (word == ":pu") return rest.empty() ? invalid("usage: :pu prefix") : simple(Kind::FindUsers, stripUser(rest));
  if (word == ":q") return rest.empty() ? invalid("usage: :q keyword   (:q! quits)") : simple(Kind::Search, std::string(rest));
  if (word == ":h") return history(rest);
  if (word == ":c") return simple(Kind::Conversations);
  if (word == ":g") return simple(Kind::Groups);
  if (word == ":gc") return groupCommand(Kind::CreateGroup, rest, 0, 1999, ":gc name [user...]");
  if (word == ":add") return groupCommand(Kind::AddMembers, rest, 1, 1999, ":add #group user...");
  if (word == ":kick") return groupCommand(Kind::Kick, rest, 1, 1, ":kick #group user");
  if (word == ":join") return groupCommand(Kind::Join, rest, 0, 0, ":join #group");
  if (word == ":leave") return groupCommand(Kind::Leave, rest, 0, 0, ":leave #group");
  if (word == ":info") return simple(Kind::Info);
  if (word == ":all" || word == ":help") return simple(Kind::Help);
  return invalid("unknown command " + std::string(word) + " (:help lists them)");
}

}  // namespace

Command parseCommand(std::string_view line) {
  line = trim(line);
  if (line.empty()) return simple(Kind::Empty);
  if (line[0] == ':') return colonCommand(line);
  if (line[0] == '@' || line[0] == '#') return sendTo(line);
  // CIM's `bob;;text`: only when what precedes ";;" is a user name, so "a;;b" in prose stays prose.
  const size_t sep = line.find(";;");
  if (sep != std::string_view::npos && isUsername(line.substr(0, sep))) {
    const std::string_view body = trim(line.substr(sep + 2));
    if (body.empty()) return invalid("nothing to send after ';;'");
    Command c;
    c.kind = Kind::Send;
    c.target = std::string(line.substr(0, sep));
    c.text = std::string(body);
    return c;
  }
  return simple(Kind::SendCurrent, std::string(line));
}

std::string helpText() {
  return "  bob;;text | @bob text   send a direct message to bob\n"
         "  #ops text | #7 text     send to a group, by name or number\n"
         "  text                    send to the current conversation\n"
         "  :to bob | :to #ops      switch the current conversation\n"
         "  :olu                    online users\n"
         "  :pu prefix              find users whose name starts with prefix\n"
         "  :q keyword              search your history\n"
         "  :h [n]                  the current conversation's last n messages (20)\n"
         "  :c                      conversations, with unread counts\n"
         "  :g                      my groups\n"
         "  :gc name [user...]      create a group with these members\n"
         "  :add #ops user...       add members\n"
         "  :kick #ops user         remove a member\n"
         "  :join #ops | :leave #ops  join a public group, leave a group\n"
         "  :info                   who am I, which server, my cursor\n"
         "  :all | :help            this list\n"
         "  :q!                     quit (logs out unless --keep-session)\n";
}

}  // namespace im::cli
