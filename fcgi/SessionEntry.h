// SPDX-License-Identifier: MIT
// SessionEntry.h - the value of one device in RedisKeys::session(uid): "<node>|<unix_ms>" (pure).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace im::fcgi {

struct SessionEntry {
  std::string node;
  int64_t unixMs = 0;
};

std::string formatSessionEntry(std::string_view node, int64_t unixMs);
// nullopt for a malformed value (it is then ignored).
std::optional<SessionEntry> parseSessionEntry(std::string_view text);

}  // namespace im::fcgi
