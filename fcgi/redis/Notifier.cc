// SPDX-License-Identifier: MIT
// Notifier.cc - two pipelines per commit of sends or batch of events: the recipients' nodes, then
// LPUSH + EXPIRE per node.
#include "fcgi/redis/Notifier.h"

#include <map>

#include "common/Log.h"
#include "common/RedisKeys.h"

namespace im::fcgi {

using common::Notification;

Notifier::Notifier(common::RedisClient& redis, DeviceDirectory& devices) : redis_(redis), devices_(devices) {}

void Notifier::notify(const std::vector<Delivery>& deliveries) noexcept {
  try {
    push(Notification::Kind::Message, deliveries);
  } catch (const std::exception& e) {
    IM_WARN("notify", std::string("notifications dropped (polls will catch up): ") + e.what());
  }
}

// One push for all of them: the same two round trips as one event.
void Notifier::notifyEvents(const std::vector<common::EventDelivery>& deliveries) noexcept {
  try {
    std::vector<Delivery> events;
    events.reserve(deliveries.size());
    for (const auto& d : deliveries) {
      Delivery& e = events.emplace_back(Delivery{d.event, {}});
      for (const uint64_t uid : d.uids) e.recipients.push_back({uid, 0});  // an event has no seq
    }
    push(Notification::Kind::Event, events);
  } catch (const std::exception& e) {
    IM_WARN("notify", std::string("events dropped (events are best effort): ") + e.what());
  }
}

void Notifier::notifyRead(uint64_t reader, common::Conversation c, uint64_t msgId,
                          const std::vector<uint64_t>& groupMembers) noexcept {
  try {
    notifyEvents(common::readDeliveries(reader, c, msgId, groupMembers));
  } catch (const std::exception& e) {  // rendering allocates
    IM_WARN("notify", std::string("read event dropped: ") + e.what());
  }
}

// One LPUSH per node with every delivery's notification for it, in delivery order: BLMPOP ...
// RIGHT (pushd/RedisInbox) takes a multi-element LPUSH's elements in argument order.
void Notifier::push(Notification::Kind kind, const std::vector<Delivery>& deliveries) {
  std::vector<const std::vector<common::Recipient>*> lists;
  for (const Delivery& d : deliveries) lists.push_back(&d.recipients);
  const auto nodes = devices_.nodesOfEach(lists);
  std::map<std::string, std::vector<std::string>> pushes;  // node -> LPUSH key element...
  for (size_t i = 0; i < deliveries.size(); ++i) {
    for (const auto& [node, list] : nodes[i]) {
      auto& command = pushes[node];
      if (command.empty()) command = {"LPUSH", common::RedisKeys::nodeNotify(node)};
      command.push_back(Notification{list, deliveries[i].message, kind}.encode());
    }
  }
  if (pushes.empty()) return;
  std::vector<std::vector<std::string>> writes;
  for (auto& [node, command] : pushes) {
    const std::string key = command[1];
    writes.push_back(std::move(command));
    writes.push_back({"EXPIRE", key, std::to_string(kListExpiryS)});
  }
  for (const auto& r : redis_.pipeline(writes)) {
    if (r.isError()) IM_WARN("notify", "LPUSH failed: " + std::string(r.str()));
  }
}

}  // namespace im::fcgi
