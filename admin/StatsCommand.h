// SPDX-License-Identifier: MIT
// StatsCommand.h - im-admin stats: users (and deleted), groups, messages, archived messages,
// sessions, inbox backlog (the big tables as InnoDB's estimates: StatsStore), and the live push
// nodes with the polls they hold (scraped now, as `nodes` does).
#pragma once

#include "admin/AdminOutput.h"
#include "fcgi/Services.h"
#include "fcgi/store/StatsStore.h"

namespace im::admin {

class StatsCommand {
 public:
  StatsCommand(fcgi::Services& services, const AdminOutput& output) : services_(services), output_(output), stats_(services.db) {}
  StatsCommand(const StatsCommand&) = delete;
  StatsCommand& operator=(const StatsCommand&) = delete;

  void run();

 private:
  fcgi::Services& services_;
  const AdminOutput& output_;
  fcgi::StatsStore stats_;
};

}  // namespace im::admin
