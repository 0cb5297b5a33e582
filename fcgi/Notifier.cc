// SPDX-License-Identifier: MIT
// Notifier.cc - two pipelines per send: HGETALL every recipient, then LPUSH + EXPIRE per node.
#include "fcgi/Notifier.h"

#include <algorithm>

#include "common/Log.h"
#include "common/RedisKeys.h"
#include "fcgi/SessionEntry.h"

namespace im::fcgi {

Notifier::Notifier(common::RedisClient& redis, const common::Clock& clock, int pollMaxTimeoutS)
    : redis_(redis), clock_(clock), maxAgeMs_(int64_t{2} * pollMaxTimeoutS * 1000) {}

void Notifier::notify(const std::string& message, const std::vector<common::Recipient>& recipients) noexcept {
  try {
    push(message, recipients);
  } catch (const std::exception& e) {
    IM_WARN("notify", std::string("notification dropped (polls will catch up): ") + e.what());
  }
}

void Notifier::push(const std::string& message, const std::vector<common::Recipient>& recipients) {
  if (recipients.empty()) return;
  std::vector<std::vector<std::string>> reads;
  reads.reserve(recipients.size());
  for (const auto& r : recipients) reads.push_back({"HGETALL", common::RedisKeys::session(r.uid)});
  const auto replies = redis_.pipeline(reads);
  SessionHashes sessions(replies.size());
  for (size_t i = 0; i < replies.size(); ++i) {
    for (size_t k = 0; k + 1 < replies[i].size(); k += 2) {
      sessions[i].emplace_back(common::replyString(replies[i].element(k)),
                               common::replyString(replies[i].element(k + 1)));
    }
  }
  const auto nodes = groupByNode(recipients, sessions, clock_.wallMs(), maxAgeMs_);
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

std::map<std::string, std::vector<common::Recipient>> groupByNode(const std::vector<common::Recipient>& recipients,
                                                                  const SessionHashes& sessions, int64_t nowMs,
                                                                  int64_t maxAgeMs) {
  std::map<std::string, std::vector<common::Recipient>> out;
  for (size_t i = 0; i < recipients.size() && i < sessions.size(); ++i) {
    for (const auto& [device, value] : sessions[i]) {
      const auto entry = parseSessionEntry(value);
      if (!entry || nowMs - entry->unixMs > maxAgeMs) continue;
      auto& list = out[entry->node];
      if (list.empty() || !(list.back() == recipients[i])) list.push_back(recipients[i]);
    }
  }
  return out;
}

}  // namespace im::fcgi
