// SPDX-License-Identifier: MIT
// SessionEntry.cc - format/parse of "<node>|<unix_ms>".
#include "fcgi/SessionEntry.h"

#include <charconv>

namespace im::fcgi {

std::string formatSessionEntry(std::string_view node, int64_t unixMs) {
  std::string out(node);
  out.push_back('|');
  out += std::to_string(unixMs);
  return out;
}

std::optional<SessionEntry> parseSessionEntry(std::string_view text) {
  const size_t bar = text.rfind('|');
  if (bar == std::string_view::npos || bar == 0 || bar + 1 == text.size()) return std::nullopt;
  SessionEntry e;
  const std::string_view ms = text.substr(bar + 1);
  const auto [end, ec] = std::from_chars(ms.data(), ms.data() + ms.size(), e.unixMs);
  if (ec != std::errc() || end != ms.data() + ms.size()) return std::nullopt;
  e.node = std::string(text.substr(0, bar));
  return e;
}

}  // namespace im::fcgi
