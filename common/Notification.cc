// SPDX-License-Identifier: MIT
// Notification.cc - encode/decode of the node notification; pure, no I/O.
#include "common/Notification.h"

#include <charconv>

namespace im::common {
namespace {

constexpr std::string_view kEventTag = "event ";

bool parseU64(std::string_view text, uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// "uid:seq" (a message's recipient) or "uid" (an event's); ids and seqs are never 0.
bool parseRecipient(std::string_view item, Notification::Kind kind, Recipient& r) {
  if (kind == Notification::Kind::Event) return parseU64(item, r.uid) && r.uid != 0;
  const auto colon = item.find(':');
  return colon != std::string_view::npos && parseU64(item.substr(0, colon), r.uid) &&
         parseU64(item.substr(colon + 1), r.seq) && r.uid != 0 && r.seq != 0;
}

}  // namespace

std::string Notification::encode() const {
  std::string out;
  out.reserve(kEventTag.size() + recipients.size() * 16 + payload.size() + 1);
  if (kind == Kind::Event) out += kEventTag;
  for (size_t i = 0; i < recipients.size(); ++i) {
    if (i) out.push_back(',');
    out += std::to_string(recipients[i].uid);
    if (kind == Kind::Event) continue;
    out.push_back(':');
    out += std::to_string(recipients[i].seq);
  }
  out.push_back('\n');
  out += payload;
  return out;
}

std::optional<Notification> Notification::decode(std::string_view wire) {
  Notification n;
  if (wire.substr(0, kEventTag.size()) == kEventTag) {
    n.kind = Kind::Event;
    wire.remove_prefix(kEventTag.size());
  }
  const auto nl = wire.find('\n');
  if (nl == std::string_view::npos || nl == 0) return std::nullopt;
  std::string_view list = wire.substr(0, nl);
  while (!list.empty()) {
    const auto comma = list.find(',');
    Recipient r;
    if (!parseRecipient(list.substr(0, comma), n.kind, r)) return std::nullopt;
    n.recipients.push_back(r);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
    if (list.empty()) return std::nullopt;  // trailing comma
  }
  n.payload = std::string(wire.substr(nl + 1));
  if (n.payload.size() < 2 || n.payload.front() != '{' || n.payload.back() != '}') return std::nullopt;
  return n;
}

void appendMessageWithSeq(std::string& out, std::string_view message, uint64_t seq) {
  out += "{\"seq\":";
  out += std::to_string(seq);
  // No comma before the closing brace of an empty object, however it is spaced ("{ }" is
  // valid JSON too; found by tests/fuzz).
  const auto first = message.find_first_not_of(" \t\r\n", 1);
  if (first != std::string_view::npos && message[first] != '}') out.push_back(',');
  out.append(message.substr(1));  // the rest of the object, after its '{'
}

}  // namespace im::common
