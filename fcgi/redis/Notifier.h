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

  // The messages of one commit (a send, the sends a worker committed together, a membership
  // change's) in two round trips: one LPUSH per node carries all of that node's, in their
  // order. Never throws.
  void notify(const std::vector<Delivery>& deliveries) noexcept;
  // Each delivery of common::typingDeliveries / readDeliveries (an event payload, common/Event,
  // for the polling devices of its uids), all in one push. Never throws.
  void notifyEvents(const std::vector<common::EventDelivery>& deliveries) noexcept;
  // `reader` read conversation `c` up to `msgId` (POST /im/read, after the marker is stored):
  // the other participants and the reader's devices get a read event. `groupMembers`: the
  // group's member ids for a group, ignored for a direct conversation. Never throws.
  void notifyRead(uint64_t reader, common::Conversation c, uint64_t msgId,
                  const std::vector<uint64_t>& groupMembers) noexcept;

 private:
  void push(common::Notification::Kind kind, const std::vector<Delivery>& deliveries);

  common::RedisClient& redis_;
  DeviceDirectory& devices_;
};

}  // namespace im::fcgi
