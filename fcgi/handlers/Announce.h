// SPDX-License-Identifier: MIT
// Announce.h - after a commit, every message it stored goes to its recipients' nodes in ONE
// Notifier call (two Redis round trips for all), whatever stored them: a send, the sends a
// worker committed together, a membership change.
#pragma once

#include <vector>

#include "fcgi/Services.h"
#include "fcgi/store/MessageStore.h"

namespace im::fcgi {

inline void announce(Services& services, const std::vector<SendResult>& stored) {
  std::vector<Notifier::Delivery> deliveries;
  deliveries.reserve(stored.size());
  for (const SendResult& s : stored) deliveries.push_back({common::renderMessage(s.message), s.recipients});
  services.notifier.notify(deliveries);
}

}  // namespace im::fcgi
