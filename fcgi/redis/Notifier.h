// SPDX-License-Identifier: MIT
// Notifier.h - after a send commits: find the nodes holding each recipient's devices
// (DeviceDirectory) and push ONE notification per node (RedisKeys::nodeNotify), batched.
// Best effort: the message is durable in MySQL, so a failure is logged and polls catch up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/Notification.h"
#include "common/RedisClient.h"
#include "fcgi/redis/DeviceDirectory.h"

namespace im::fcgi {

class Notifier {
 public:
  static constexpr int kListExpiryS = 60;

  Notifier(common::RedisClient& redis, DeviceDirectory& devices);
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // `message` is the Message JSON without "seq". Never throws.
  void notify(const std::string& message, const std::vector<common::Recipient>& recipients) noexcept;

 private:
  void push(const std::string& message, const std::vector<common::Recipient>& recipients);

  common::RedisClient& redis_;
  DeviceDirectory& devices_;
};


}  // namespace im::fcgi
