// SPDX-License-Identifier: MIT
// Notification.cc - encode/decode of the node notification; pure, no I/O.
#include "common/Notification.h"

#include <charconv>

namespace im::common {
namespace {

bool parseU64(std::string_view text, uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string Notification::encode() const {
  std::string out;
  out.reserve(recipients.size() * 16 + message.size() + 1);
  for (size_t i = 0; i < recipients.size(); ++i) {
    if (i) out.push_back(',');
    out += std::to_string(recipients[i].uid);
    out.push_back(':');
    out += std::to_string(recipients[i].seq);
  }
  out.push_back('\n');
  out += message;
  return out;
}

std::optional<Notification> Notification::decode(std::string_view wire) {
  const auto nl = wire.find('\n');
  if (nl == std::string_view::npos || nl == 0) return std::nullopt;
  Notification n;
  std::string_view list = wire.substr(0, nl);
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    const auto colon = item.find(':');
    Recipient r;
    if (colon == std::string_view::npos || !parseU64(item.substr(0, colon), r.uid) ||
        !parseU64(item.substr(colon + 1), r.seq) || r.uid == 0 || r.seq == 0) {
      return std::nullopt;
    }
    n.recipients.push_back(r);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
    if (list.empty()) return std::nullopt;  // trailing comma
  }
  n.message = std::string(wire.substr(nl + 1));
  if (n.message.size() < 2 || n.message.front() != '{' || n.message.back() != '}') return std::nullopt;
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
