// SPDX-License-Identifier: MIT
// Event.h - API.md "Events": the typing and read events as each receiving user sees them, and
// the fan-out rule that decides which payload goes to whom. Pure: no I/O (fcgi's Notifier sends).
//
// The `with` rule: when bob (2) reads his chat with alice (1), alice's devices get
// {"from":2,"with":2} and bob's own devices {"from":2,"with":1}: two payloads. A group event is
// one payload ("group": 7) for everyone it goes to.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace im::common {

// A conversation as the acting user names it: exactly one of `with` (the other user, possibly
// the actor itself) and `group` is non-zero.
struct Conversation {
  uint64_t with = 0;
  uint64_t group = 0;
};

// {"type":"typing","from":F,"with":W} or {"type":"typing","from":F,"group":G}; `seenAs` is the
// conversation as the receiving user names it.
std::string renderTypingEvent(uint64_t from, Conversation seenAs);
// {"type":"read","from":F,"with":W|"group":G,"msg_id":M}.
std::string renderReadEvent(uint64_t from, Conversation seenAs, uint64_t msgId);

// One event payload and the users whose polling devices get it.
struct EventDelivery {
  std::string event;
  std::vector<uint64_t> uids;
  bool operator==(const EventDelivery&) const = default;
};

// `typer` types in `c`: the other participants get it, never the typer (typing to oneself
// reaches nobody). `groupMembers` (a group's member ids, typer included or not) is read only
// for a group.
std::vector<EventDelivery> typingDeliveries(uint64_t typer, Conversation c, const std::vector<uint64_t>& groupMembers);
// `reader` read `c` up to `msgId`: the other participants, and the reader's own devices so that
// each of them clears its unread count (the reading device gets it too: pushd answers every
// held poll of a uid).
std::vector<EventDelivery> readDeliveries(uint64_t reader, Conversation c, uint64_t msgId,
                                          const std::vector<uint64_t>& groupMembers);

}  // namespace im::common
