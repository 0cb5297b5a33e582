// SPDX-License-Identifier: MIT
// main.cc - im-admin: the operators' command line over the daemons' config (--config, --set).
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "admin/AdminCommands.h"
#include "admin/FixtureCommand.h"
#include "common/Config.h"
#include "common/Log.h"
#include "common/Version.h"
#include "fcgi/Crypto.h"

namespace {

constexpr const char* kHelp =
    "usage: im-admin [--config=FILE] [--set key=value]... [--json] COMMAND\n"
    "  users add NAME               new account; its password is one line on stdin\n"
    "  users reset-password NAME    new password from stdin; revokes every session\n"
    "  users disable NAME           unknown password, every session revoked (messages stay);\n"
    "                               reset-password enables the account again\n"
    "  users delete NAME            the account ends for good: every session revoked at once\n"
    "                               (its tokens answer 401 on every host), no login, sends to\n"
    "                               it answer 404 and no group can add it, it leaves\n"
    "                               every group with a member_left message (a group it owned\n"
    "                               passes to its longest-standing admin, else member, as on a\n"
    "                               leave), its inbox rows and conversation list are deleted.\n"
    "                               Its messages stay in the others' history and the groups'\n"
    "                               timelines; its id and name are never reused; re-run it to\n"
    "                               finish an interrupted deletion\n"
    "  sessions list NAME           the account's device sessions\n"
    "  sessions revoke NAME ID|--all\n"
    "  sessions prune [--batch 1000]\n"
    "                               delete sessions revoked or idle auth.token_idle_days\n"
    "                               (never one still usable), a batch per statement\n"
    "  inbox prune [--batch 1000]   delete inbox rows every live device of the user has\n"
    "                               acknowledged (all of a user with no live device)\n"
    "  nodes                        live push nodes and the polls each holds\n"
    "  archive --older-than 180d [--batch 1000]\n"
    "                               move older messages that no inbox still needs to\n"
    "                               messages_archive, a batch per transaction; history\n"
    "                               then stops at them (they are read in the archive)\n"
    "  fixture users --prefix P --count N --tokens-out FILE [--batch 5000] [--device D]\n"
    "                               N users P1..PN with one session each (bench, load tests);\n"
    "                               FILE gets \"uid token\" a line; nobody knows their password\n"
    "  groups list                  every group: id, name, visibility, members, owner\n"
    "  groups show ID               one group and its members with their roles\n"
    "  groups transfer ID NAME      member NAME becomes the owner, the owner an admin\n"
    "                               (role_changed messages in the owner's name)\n"
    "  stats                        users, groups, messages, sessions, inbox backlog (the\n"
    "                               big tables as InnoDB estimates: _approx), live nodes,\n"
    "                               held polls\n"
    "every command: --json for one JSON document instead of text\n"
    "exit status: 0 done, 1 failed (the reason on stderr), 2 usage\n";

}  // namespace

int main(int argc, char** argv) {
  std::string configPath;
  std::vector<std::string> overrides, words;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--version") return std::printf("im-admin %s\n", im::common::version()), 0;
    if (arg == "--help" || arg == "-h") return std::printf("%s\n%s", kHelp, im::common::configKeysHelp().c_str()), 0;
    if (arg == "--json") json = true;
    else if (arg.rfind("--config=", 0) == 0) configPath = arg.substr(9);
    else if (arg == "--set" && i + 1 < argc) overrides.emplace_back(argv[++i]);
    else words.push_back(arg);
  }
  if (words.empty()) return std::fprintf(stderr, "%s", kHelp), 2;
  try {
    const im::common::Config config = im::common::loadConfig(configPath, overrides);
    // Its stdout is for scripts (--json): only warnings and errors go to stderr, and never to
    // the daemons' log.file.
    im::common::setLogLevel(config.logLevel == "debug" ? "debug" : "warning");
    im::fcgi::initCryptoOrDie();
    if (im::admin::FixtureCommand::handles(words)) im::admin::FixtureCommand(config, std::cout, json).run(words);
    else im::admin::AdminCommands(config, std::cin, std::cout, json).run(words);
    return 0;
  } catch (const std::exception& e) {  // ApiError included: MariaDB or Redis unavailable, a name taken
    std::fprintf(stderr, "im-admin: %s\n", e.what());
    return 1;
  }
}
