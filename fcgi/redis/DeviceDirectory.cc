// SPDX-License-Identifier: MIT
// DeviceDirectory.cc - the session hash: writes, reads and the per-node grouping of a send.
#include "fcgi/redis/DeviceDirectory.h"

#include <charconv>

#include "common/RedisKeys.h"

namespace im::fcgi {

DeviceDirectory::DeviceDirectory(common::RedisClient& redis, const common::Clock& clock, int pollMaxTimeoutS)
    : redis_(redis), clock_(clock), maxAgeMs_(int64_t{2} * pollMaxTimeoutS * 1000) {}

std::vector<DeviceDirectory::Command> DeviceDirectory::recordCommands(uint64_t uid, uint64_t sessionId,
                                                                      std::string_view node) const {
  const std::string key = common::RedisKeys::session(uid);
  return {{"HSET", key, std::to_string(sessionId), formatEntry(node, clock_.wallMs())},
          {"PEXPIRE", key, std::to_string(maxAgeMs_)}};
}

void DeviceDirectory::forget(uint64_t uid, uint64_t sessionId) noexcept {
  try {
    redis_.command({"HDEL", common::RedisKeys::session(uid), std::to_string(sessionId)});
  } catch (const std::exception&) {
    // The entry expires by itself; a stale one only costs a notification nobody waits for.
  }
}

DeviceDirectory::NodeRecipients DeviceDirectory::nodesOf(const std::vector<common::Recipient>& recipients) {
  if (recipients.empty()) return {};
  return nodesOfEach({&recipients}).front();
}

std::vector<DeviceDirectory::NodeRecipients> DeviceDirectory::nodesOfEach(
    const std::vector<const std::vector<common::Recipient>*>& lists) {
  std::map<uint64_t, size_t> replyOf;  // uid -> its HGETALL's reply
  std::vector<Command> reads;
  for (const auto* list : lists) {
    for (const auto& r : *list) {
      if (replyOf.emplace(r.uid, reads.size()).second) reads.push_back({"HGETALL", common::RedisKeys::session(r.uid)});
    }
  }
  std::vector<DeviceHash> hashes;
  if (!reads.empty()) {
    const auto replies = redis_.pipeline(reads);
    hashes.resize(replies.size());
    for (size_t i = 0; i < replies.size(); ++i) {
      for (size_t k = 0; k + 1 < replies[i].size(); k += 2) {
        hashes[i].emplace_back(common::replyString(replies[i].element(k)), common::replyString(replies[i].element(k + 1)));
      }
    }
  }
  std::vector<NodeRecipients> out;
  const int64_t nowMs = clock_.wallMs();
  for (const auto* list : lists) {
    std::vector<DeviceHash> own;  // aligned with *list
    for (const auto& r : *list) own.push_back(hashes.at(replyOf.at(r.uid)));
    out.push_back(groupByNode(*list, own, nowMs, maxAgeMs_));
  }
  return out;
}

std::string DeviceDirectory::formatEntry(std::string_view node, int64_t unixMs) {
  std::string out(node);
  out.push_back('|');
  out += std::to_string(unixMs);
  return out;
}

std::optional<DeviceDirectory::Entry> DeviceDirectory::parseEntry(std::string_view text) {
  const size_t bar = text.rfind('|');
  if (bar == std::string_view::npos || bar == 0 || bar + 1 == text.size()) return std::nullopt;
  Entry e;
  const std::string_view ms = text.substr(bar + 1);
  const auto [end, ec] = std::from_chars(ms.data(), ms.data() + ms.size(), e.unixMs);
  if (ec != std::errc() || end != ms.data() + ms.size()) return std::nullopt;
  e.node = std::string(text.substr(0, bar));
  return e;
}

DeviceDirectory::NodeRecipients DeviceDirectory::groupByNode(const std::vector<common::Recipient>& recipients,
                                                             const std::vector<DeviceHash>& hashes, int64_t nowMs,
                                                             int64_t maxAgeMs) {
  NodeRecipients out;
  for (size_t i = 0; i < recipients.size() && i < hashes.size(); ++i) {
    for (const auto& [device, value] : hashes[i]) {
      const auto entry = parseEntry(value);
      if (!entry || nowMs - entry->unixMs > maxAgeMs) continue;
      auto& list = out[entry->node];
      if (list.empty() || !(list.back() == recipients[i])) list.push_back(recipients[i]);
    }
  }
  return out;
}

}  // namespace im::fcgi
