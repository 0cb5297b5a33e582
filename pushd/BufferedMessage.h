// SPDX-License-Identifier: MIT
// BufferedMessage.h - one notified inbox entry of a uid as pushd keeps it: the message JSON
// (without "seq"), shared by every recipient of one notification, and when it expires; and the
// event texts answers carry.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace im::pushd {

using MessageText = std::shared_ptr<const std::string>;

struct BufferedMessage {
  MessageText message;
  int64_t expiresMs = 0;
};

// One uid's buffered entries by seq, ascending.
using SeqBuffer = std::map<uint64_t, BufferedMessage>;

// An event's JSON (API.md "Events"), shared by every recipient of one notification, and the
// events one answer carries, in arrival order.
using EventText = std::shared_ptr<const std::string>;
using EventList = std::vector<EventText>;

}  // namespace im::pushd
