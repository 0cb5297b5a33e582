// SPDX-License-Identifier: MIT
// GroupCommands.h - im-admin groups list | show <id> | transfer <id> <user>: every group whatever
// its membership, one group with its members, and ownership handed to a member (typed
// role_changed messages in the group's timeline, pushed to the members like any change).
#pragma once

#include <cstdint>
#include <string>

#include "admin/AdminOutput.h"
#include "fcgi/Services.h"
#include "fcgi/store/AdminGroupStore.h"

namespace im::admin {

class GroupCommands {
 public:
  GroupCommands(fcgi::Services& services, const AdminOutput& output)
      : services_(services), output_(output), groups_(services.db) {}
  GroupCommands(const GroupCommands&) = delete;
  GroupCommands& operator=(const GroupCommands&) = delete;

  void list();
  void show(const std::string& id);
  void transfer(const std::string& id, const std::string& username);

 private:
  uint64_t groupIdOf(const std::string& id);

  fcgi::Services& services_;
  const AdminOutput& output_;
  fcgi::AdminGroupStore groups_;
};

}  // namespace im::admin
