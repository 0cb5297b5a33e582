// SPDX-License-Identifier: MIT
// UserDeletion.h - im-admin users delete <name>: the account ends for good, its messages stay.
#pragma once

#include <string>

#include "admin/AdminOutput.h"
#include "fcgi/Services.h"
#include "fcgi/store/AdminGroupStore.h"
#include "fcgi/store/UserDeletionStore.h"

namespace im::admin {

// What happens, in this order:
//  1. the account is marked deleted (users.deleted_at) with a password nobody knows, and every
//     session revoked, in one transaction: the next request of any token of it, on any host, is
//     401; no login works; reset-password refuses it; its devices are forgotten as on logout,
//     so a poll held then gets nothing more and ends at its timeout;
//  2. it leaves every group as a leave would: a member_left message in each group's timeline
//     (and, for a group it owned, first a role_changed to the longest-standing admin, else
//     member: the API's succession rule); a group it was alone in stays, empty;
//  3. its inbox rows and its own conversation list are deleted (nobody can read them again).
// Kept: every message it sent or received (the other party's history and the groups' timelines
// show them, from its id), its users row, so its id and its name are never given to anyone else.
// Re-running it finishes an interrupted deletion.
class UserDeletion {
 public:
  UserDeletion(fcgi::Services& services, const AdminOutput& output)
      : services_(services), output_(output), groups_(services.db), deletion_(services.db) {}
  UserDeletion(const UserDeletion&) = delete;
  UserDeletion& operator=(const UserDeletion&) = delete;

  void run(const std::string& username);

 private:
  struct GroupsLeft {
    uint64_t left = 0;
    std::vector<uint64_t> handedOver;  // groups it owned, now owned by a successor
  };
  GroupsLeft leaveGroups(uint64_t uid, const std::string& username);
  uint64_t dropInbox(uint64_t uid);

  fcgi::Services& services_;
  const AdminOutput& output_;
  fcgi::AdminGroupStore groups_;
  fcgi::UserDeletionStore deletion_;
};

}  // namespace im::admin
