// SPDX-License-Identifier: MIT
// Options.cc - argument parsing.
#include "cli/Options.h"

namespace im::cli {
namespace {

// "--name value" or "--name=value"; advances `i` past what it used.
bool takeValue(const std::vector<std::string>& args, size_t& i, const std::string& name, std::string& out,
               std::string& error) {
  const std::string& a = args[i];
  if (a.rfind(name + "=", 0) == 0) {
    out = a.substr(name.size() + 1);
    return true;
  }
  if (a != name) return false;
  if (i + 1 >= args.size()) {
    error = name + " needs a value";
    return true;
  }
  out = args[++i];
  return true;
}

void checkMode(Options& o) {
  if (!o.error.empty() || o.mode == Options::Mode::Help) return;
  if (o.user.empty()) o.error = "--user is required (or set IM_USER)";
  if (o.mode == Options::Mode::Send) {
    if (o.to.empty() == o.group.empty()) o.error = "send needs exactly one of --to USER and --group GROUP";
    else if (o.text.empty()) o.error = "send needs the message text";
  } else if (!o.to.empty() || !o.group.empty()) {
    o.error = "--to and --group belong to the send command";
  }
}

}  // namespace

Options parseOptions(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  Options o;
  if (auto it = env.find("IM_URL"); it != env.end() && !it->second.empty()) o.url = it->second;
  if (auto it = env.find("IM_USER"); it != env.end()) o.user = it->second;
  std::vector<std::string> words;
  for (size_t i = 0; i < args.size() && o.error.empty(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      o.mode = Options::Mode::Help;
    } else if (a == "--register") {
      o.registerFirst = true;
    } else if (a == "--keep-session") {
      o.keepSession = true;
    } else if (takeValue(args, i, "--url", o.url, o.error) || takeValue(args, i, "--user", o.user, o.error) ||
               takeValue(args, i, "--on-message", o.onMessage, o.error) ||
               takeValue(args, i, "--device", o.device, o.error) || takeValue(args, i, "--to", o.to, o.error) ||
               takeValue(args, i, "--group", o.group, o.error)) {
    } else if (a.size() > 1 && a[0] == '-' && a != "--") {
      o.error = "unknown option " + a;
    } else {
      words.push_back(a);
    }
  }
  if (o.mode == Options::Mode::Help) return o;
  if (!words.empty() && words[0] == "send") {
    o.mode = Options::Mode::Send;
    for (size_t i = 1; i < words.size(); ++i) o.text += (i > 1 ? " " : "") + words[i];
  } else if (!words.empty() && words[0] == "tail") {
    o.mode = Options::Mode::Tail;
    if (words.size() > 1 && o.error.empty()) o.error = "tail takes no arguments";
  } else if (!words.empty() && o.error.empty()) {
    o.error = "unknown command " + words[0] + " (send, tail, or none for the chat)";
  }
  checkMode(o);
  return o;
}

std::string usageText() {
  return "usage: im-cli [options]                     chat interactively (:help inside lists commands)\n"
         "       im-cli [options] send --to USER TEXT   send a direct message and exit\n"
         "       im-cli [options] send --group GROUP TEXT   send to a group (name or number)\n"
         "       im-cli [options] tail                  print one JSON line per received message\n"
         "options:\n"
         "  --url URL          the server (default http://127.0.0.1:8080, or $IM_URL)\n"
         "  --user NAME        who you are (or $IM_USER); the password is asked for without echo,\n"
         "                     or read from $IM_PASSWORD\n"
         "  --register         create the account first (an existing one is just logged into)\n"
         "  --keep-session     :q! keeps the session (the next start needs no password)\n"
         "  --on-message CMD   run CMD (through /bin/sh) for each received message, its JSON on stdin\n"
         "  --device NAME      the session's device name (default im-cli)\n"
         "state: $XDG_STATE_HOME/im-cli/<server>/<user> (default ~/.local/state): the session token\n"
         "  and the mailbox cursor, so a restart shows exactly what arrived meanwhile\n"
         "exit codes:\n"
         "  0 ok   1 other error   2 usage   3 authentication (wrong password, session refused)\n"
         "  4 not found (no such user or group)   5 server unavailable (unreachable, 5xx)\n"
         "  6 forbidden (not a member)   7 conflict (name taken)   8 rejected (bad input, too large,\n"
         "  rate limited)\n";
}

}  // namespace im::cli
