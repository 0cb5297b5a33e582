// SPDX-License-Identifier: MIT
// Notification.h - the fcgi -> pushd payload: one message and the (uid, seq) pairs of the
// recipients one node holds, or one event (API.md "Events": no seq) and the uids it is for.
// Format (docs/internals.md): "uid:seq,uid:seq\n{message json}" | "event uid,uid\n{event json}".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace im::common {

struct Recipient {
  uint64_t uid = 0;
  uint64_t seq = 0;  // 0 for an event, which has none
  bool operator==(const Recipient&) const = default;
};

struct Notification {
  enum class Kind { Message, Event };

  std::vector<Recipient> recipients;
  // Message: the Message JSON object without "seq" (API.md "Message").
  // Event: the Event JSON object as the recipients receive it (common/Event).
  std::string payload;
  Kind kind = Kind::Message;

  std::string encode() const;
  // nullopt when `wire` is not a well-formed notification (it is then dropped and logged).
  static std::optional<Notification> decode(std::string_view wire);
};

// The message object with "seq":<seq> as its first member: what a poll answer carries.
void appendMessageWithSeq(std::string& out, std::string_view message, uint64_t seq);

}  // namespace im::common
