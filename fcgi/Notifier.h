// SPDX-License-Identifier: MIT
// Notifier.h - after a send commits: find the nodes holding each recipient's devices
// (RedisKeys::session) and push ONE notification per node (RedisKeys::nodeNotify), batched.
// Best effort: the message is durable in MySQL, so a failure is logged and polls catch up.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/Clock.h"
#include "common/Notification.h"
#include "common/RedisClient.h"

namespace im::fcgi {

class Notifier {
 public:
  static constexpr int kListExpiryS = 60;

  Notifier(common::RedisClient& redis, const common::Clock& clock, int pollMaxTimeoutS);
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // `message` is the Message JSON without "seq". Never throws.
  void notify(const std::string& message, const std::vector<common::Recipient>& recipients) noexcept;

 private:
  void push(const std::string& message, const std::vector<common::Recipient>& recipients);

  common::RedisClient& redis_;
  const common::Clock& clock_;
  const int64_t maxAgeMs_;
};

// Pure: node -> its recipients, from each recipient's session hash (field/value pairs) read
// at `nowMs`; entries older than `maxAgeMs` are skipped, a uid is listed once per node.
using SessionHashes = std::vector<std::vector<std::pair<std::string, std::string>>>;
std::map<std::string, std::vector<common::Recipient>> groupByNode(const std::vector<common::Recipient>& recipients,
                                                                  const SessionHashes& sessions, int64_t nowMs,
                                                                  int64_t maxAgeMs);

}  // namespace im::fcgi
