// SPDX-License-Identifier: MIT
// Event.cc - event rendering and the fan-out of typing and read events.
#include "common/Event.h"

#include <algorithm>

#include "common/Json.h"

namespace im::common {
namespace {

void conversationFields(JsonWriter& w, Conversation seenAs) {
  if (seenAs.group != 0) w.key("group").number(seenAs.group);
  else w.key("with").number(seenAs.with);
}

// The members but `except`, each once, ascending.
std::vector<uint64_t> othersThan(uint64_t except, std::vector<uint64_t> members) {
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  members.erase(std::remove(members.begin(), members.end(), except), members.end());
  return members;
}

}  // namespace

std::string renderTypingEvent(uint64_t from, Conversation seenAs) {
  JsonWriter w;
  w.beginObject().key("type").string("typing").key("from").number(from);
  conversationFields(w, seenAs);
  return w.endObject().take();
}

std::string renderReadEvent(uint64_t from, Conversation seenAs, uint64_t msgId) {
  JsonWriter w;
  w.beginObject().key("type").string("read").key("from").number(from);
  conversationFields(w, seenAs);
  return w.key("msg_id").number(msgId).endObject().take();
}

std::vector<EventDelivery> typingDeliveries(uint64_t typer, Conversation c, const std::vector<uint64_t>& groupMembers) {
  std::vector<EventDelivery> out;
  if (c.group != 0) {
    auto others = othersThan(typer, groupMembers);
    if (!others.empty()) out.push_back({renderTypingEvent(typer, c), std::move(others)});
  } else if (c.with != typer) {
    // The other user names this chat by the typer.
    out.push_back({renderTypingEvent(typer, Conversation{.with = typer}), {c.with}});
  }
  return out;
}

std::vector<EventDelivery> readDeliveries(uint64_t reader, Conversation c, uint64_t msgId,
                                          const std::vector<uint64_t>& groupMembers) {
  std::vector<EventDelivery> out;
  if (c.group != 0) {
    auto everyone = othersThan(reader, groupMembers);
    everyone.insert(std::lower_bound(everyone.begin(), everyone.end(), reader), reader);
    out.push_back({renderReadEvent(reader, c, msgId), std::move(everyone)});
    return out;
  }
  if (c.with != reader) out.push_back({renderReadEvent(reader, Conversation{.with = reader}, msgId), {c.with}});
  out.push_back({renderReadEvent(reader, c, msgId), {reader}});
  return out;
}

}  // namespace im::common
