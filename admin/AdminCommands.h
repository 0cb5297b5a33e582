// SPDX-License-Identifier: MIT
// AdminCommands.h - im-admin's commands, against the daemons' own config and stores:
//   users add|reset-password|disable <name>   (a password is read from stdin, never argv)
//   sessions list <name> | sessions revoke <name> (<session-id>|--all)
//   sessions prune [--batch N]                 (delete revoked and idle-expired sessions)
//   inbox prune [--batch N]                    (delete rows every live device acknowledged)
//   nodes                                      (live pushd nodes, heartbeat age, held polls)
//   archive --older-than 180d [--batch N]      (messages -> messages_archive, N at a time)
//   users delete <name> (UserDeletion), groups list|show|transfer (GroupCommands), stats
// Each prints text, or one JSON document with --json.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "admin/AdminOutput.h"
#include "common/Clock.h"
#include "common/Config.h"
#include "fcgi/Services.h"
#include "fcgi/store/AdminStore.h"
#include "fcgi/store/UserDeletionStore.h"

namespace im::admin {

class AdminCommands {
 public:
  AdminCommands(const common::Config& config, std::istream& in, std::ostream& out, bool json);
  AdminCommands(const AdminCommands&) = delete;
  AdminCommands& operator=(const AdminCommands&) = delete;

  // Runs `args` (command words); throws std::runtime_error for a usage or lookup error.
  void run(const std::vector<std::string>& args);

 private:
  void usersAdd(const std::string& name);
  void usersResetPassword(const std::string& name);
  void usersDisable(const std::string& name);
  void sessionsList(const std::string& name);
  void sessionsRevoke(const std::string& name, const std::string& which);
  void nodes();
  void archive(const std::string& olderThan, uint64_t batch);
  void sessionsPrune(uint64_t batch);
  void inboxPrune(uint64_t batch);
  uint64_t uidOf(const std::string& name);
  // Revokes one session (or all: 0) between the token cache's tombstones and forgets their
  // devices; how many were live.
  uint64_t revokeSessions(uint64_t uid, uint64_t sessionId);
  std::string readPassword();
  bool runMore(const std::vector<std::string>& args);
  void done(const std::string& text, const std::string& json) const { output_.done(text, json); }

  const common::Config& config_;
  std::istream& in_;
  const AdminOutput output_;
  common::SystemClock clock_;
  fcgi::Services services_;  // the daemons' stores and Redis helpers, on their config
  fcgi::UserStore& users_;
  fcgi::AdminStore admin_;
  fcgi::UserDeletionStore deletion_;
};

}  // namespace im::admin
