// SPDX-License-Identifier: MIT
// PushdApp.h - the push daemon process: reads the Config, wires the components in order, waits
// for SIGTERM/SIGINT, and stops them in reverse order.
//
// Threads: the loop thread (EventLoop: PollServer, RedisInbox, PollRegistry, TimingWheel,
// EarlyNotifications, Stats), the NodeHeartbeat thread, and the main thread, which only waits.
#pragma once

#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

#include "common/Config.h"

namespace im::pushd {

class PushdApp : public Poco::Util::ServerApplication {
 public:
  static constexpr int kTickMs = 10;        // timer resolution of held polls and gap waits (no periodic tick)
  static constexpr size_t kWheelSlots = 8192;  // one revolution (82 s) covers the longest poll

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const std::vector<std::string>& args) override;

 private:
  int serve(const common::Config& config);
  void printHelp() const;

  std::string configPath_;
  std::vector<std::string> overrides_;
  bool helpRequested_ = false;
  bool versionRequested_ = false;
};

}  // namespace im::pushd
