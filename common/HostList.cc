// SPDX-License-Identifier: MIT
// HostList.cc - the host list grammar of HostList.h.
#include "common/HostList.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace im::common {
namespace {

[[noreturn]] void bad(const std::string& key, const std::string& entry, const std::string& why) {
  throw std::runtime_error("config: " + key + " takes host[:port] entries, got '" + entry + "' (" + why + ")");
}

HostPort parseEntry(const std::string& key, const std::string& entry, int defaultPort) {
  HostPort out{"", defaultPort};
  std::string rest;
  if (entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string::npos) bad(key, entry, "no closing ]");
    out.host = entry.substr(1, close - 1);
    rest = entry.substr(close + 1);
  } else {
    const auto colon = entry.find(':');
    out.host = entry.substr(0, colon);
    rest = colon == std::string::npos ? "" : entry.substr(colon);
  }
  if (out.host.empty()) bad(key, entry, "empty host");
  if (rest.empty()) return out;
  if (rest.front() != ':' || rest.size() == 1) bad(key, entry, "expected :port");
  const char* first = rest.data() + 1;
  const char* last = rest.data() + rest.size();
  const auto [end, ec] = std::from_chars(first, last, out.port);
  if (ec != std::errc() || end != last || out.port < 1 || out.port > 65535) bad(key, entry, "port 1-65535");
  return out;
}

}  // namespace

std::vector<std::string> splitList(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t end = std::min(text.find_first_of(", \t", i), text.size());
    if (end > i) out.emplace_back(text.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

std::vector<HostPort> parseHostList(const std::string& key, const std::string& text, int defaultPort) {
  std::vector<HostPort> out;
  for (const std::string& entry : splitList(text)) out.push_back(parseEntry(key, entry, defaultPort));
  return out;
}

}  // namespace im::common
