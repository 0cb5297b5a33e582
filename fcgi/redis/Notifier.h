// SPDX-License-Identifier: MIT
// Notifier.h - after a send commits, or for an event: find the nodes holding each recipient's
// devices (DeviceDirectory) and push ONE notification per node (RedisKeys::nodeNotify), batched.
// Best effort: a message is durable in MySQL and an event is ephemeral (API.md "Events"), so a
// failure is logged and polls catch up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/Event.h"
#include "common/Notification.h"
#include "common/RedisClient.h"
#include "fcgi/redis/DeviceDirectory.h"

namespace im::fcgi {

class Notifier {
 public:
  static constexpr int kListExpiryS = 60;
  // One stored message to announce: its Message JSON without "seq", and its (uid, seq)s.
  struct Delivery {
    std::string message;
    std::vector<common::Recipient> recipients;
  };

  Notifier(common::RedisClient& redis, DeviceDirectory& devices);
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // `message` is the Message JSON without "seq". Never throws.
  void notify(const std::string& message, const std::vector<common::Recipient>& recipients) noexcept;
  // Several messages (the sends of one commit, a membership change's) in the same two round
  // trips as one: one LPUSH per node carries all of that node's, in their order. Never throws.
  void notify(const std::vector<Delivery>& deliveries) noexcept;
  // One event payload (common/Event) for the polling devices of `uids`. Never throws.
  void notifyEvent(const std::string& eventJson, const std::vector<uint64_t>& uids) noexcept;
  // Each delivery of common::typingDeliveries / readDeliveries. Never throws.
  void notifyEvents(const std::vector<common::EventDelivery>& deliveries) noexcept;
  // `reader` read conversation `c` up to `msgId` (POST /im/read, after the marker is stored):
  // the other participants and the reader's devices get a read event. `groupMembers`: the
  // group's member ids for a group, ignored for a direct conversation. Never throws.
  void notifyRead(uint64_t reader, common::Conversation c, uint64_t msgId,
                  const std::vector<uint64_t>& groupMembers) noexcept;

 private:
  void push(common::Notification::Kind kind, const std::string& payload,
            const std::vector<common::Recipient>& recipients);
  void push(common::Notification::Kind kind, const std::vector<Delivery>& deliveries);

  common::RedisClient& redis_;
  DeviceDirectory& devices_;
};

}  // namespace im::fcgi
