// SPDX-License-Identifier: MIT
// DeviceDirectory.h - which pushd node holds each device's poll: the one owner of
// RedisKeys::session(uid), its entry format "<node>|<unix_ms>" and its lifetime.
// API: recordCommands() (a poll, pipelined by Presence), forget() (logout), nodesOf()/nodesOfEach() (a send).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/Clock.h"
#include "common/Notification.h"
#include "common/RedisClient.h"

namespace im::fcgi {

class DeviceDirectory {
 public:
  using Command = std::vector<std::string>;
  // Node -> the recipients with a live device on it, each listed once per node.
  using NodeRecipients = std::map<std::string, std::vector<common::Recipient>>;

  // An entry lives 2 x poll.max_timeout after its device's last poll: a device that stopped
  // polling is no longer notified, and its key expires with the last device.
  DeviceDirectory(common::RedisClient& redis, const common::Clock& clock, int pollMaxTimeoutS);
  DeviceDirectory(const DeviceDirectory&) = delete;
  DeviceDirectory& operator=(const DeviceDirectory&) = delete;

  // HSET + PEXPIRE recording that `node` holds the device now; the caller pipelines them with
  // its own commands, so a poll costs one Redis round trip.
  std::vector<Command> recordCommands(uint64_t uid, uint64_t sessionId, std::string_view node) const;
  // Drops the device (logout); failures are ignored: the entry expires by itself.
  void forget(uint64_t uid, uint64_t sessionId) noexcept;
  // One pipeline of HGETALL. Throws common::ApiError(Unavailable) when Redis is down.
  NodeRecipients nodesOf(const std::vector<common::Recipient>& recipients);
  // The same for several lists (the sends of one commit) in ONE pipeline, one HGETALL per
  // distinct user: out[i] for *lists[i].
  std::vector<NodeRecipients> nodesOfEach(const std::vector<const std::vector<common::Recipient>*>& lists);

  // Pure, for the above and their tests.
  struct Entry {
    std::string node;
    int64_t unixMs = 0;
  };
  using DeviceHash = std::vector<std::pair<std::string, std::string>>;  // session id -> entry
  static std::string formatEntry(std::string_view node, int64_t unixMs);
  static std::optional<Entry> parseEntry(std::string_view text);  // nullopt: malformed, ignored
  static NodeRecipients groupByNode(const std::vector<common::Recipient>& recipients,
                                    const std::vector<DeviceHash>& hashes, int64_t nowMs, int64_t maxAgeMs);

 private:
  common::RedisClient& redis_;
  const common::Clock& clock_;
  const int64_t maxAgeMs_;
};

}  // namespace im::fcgi
