// SPDX-License-Identifier: MIT
// Notifier.cc - two pipelines per send: the recipients' nodes, then LPUSH + EXPIRE per node.
#include "fcgi/redis/Notifier.h"

#include "common/Log.h"
#include "common/RedisKeys.h"

namespace im::fcgi {

Notifier::Notifier(common::RedisClient& redis, DeviceDirectory& devices) : redis_(redis), devices_(devices) {}

void Notifier::notify(const std::string& message, const std::vector<common::Recipient>& recipients) noexcept {
  try {
    push(message, recipients);
  } catch (const std::exception& e) {
    IM_WARN("notify", std::string("notification dropped (polls will catch up): ") + e.what());
  }
}

void Notifier::push(const std::string& message, const std::vector<common::Recipient>& recipients) {
  const auto nodes = devices_.nodesOf(recipients);
  if (nodes.empty()) return;
  std::vector<std::vector<std::string>> writes;
  for (const auto& [node, list] : nodes) {
    const std::string key = common::RedisKeys::nodeNotify(node);
    writes.push_back({"LPUSH", key, common::Notification{list, message}.encode()});
    writes.push_back({"EXPIRE", key, std::to_string(kListExpiryS)});
  }
  for (const auto& r : redis_.pipeline(writes)) {
    if (r.isError()) IM_WARN("notify", "LPUSH failed: " + std::string(r.str()));
  }
}

}  // namespace im::fcgi
