// SPDX-License-Identifier: MIT
// LoadMode.cc - the names of the modes and protocols.
#include "bench/LoadMode.h"

#include <utility>

namespace im::bench {

namespace {
constexpr std::pair<Mode, const char*> kModes[] = {{Mode::Hold, "hold"}, {Mode::Latency, "latency"},
                                                   {Mode::Fanout, "fanout"}, {Mode::Closed, "closed"},
                                                   {Mode::Capacity, "capacity"}};
constexpr std::pair<Protocol, const char*> kProtocols[] = {{Protocol::Im, "im"}, {Protocol::Nchan, "nchan"}};
}  // namespace

std::optional<Mode> parseMode(const std::string& name) {
  for (const auto& [mode, text] : kModes) {
    if (name == text) return mode;
  }
  return std::nullopt;
}

std::optional<Protocol> parseProtocol(const std::string& name) {
  for (const auto& [protocol, text] : kProtocols) {
    if (name == text) return protocol;
  }
  return std::nullopt;
}

const char* modeName(Mode mode) {
  for (const auto& [m, text] : kModes) {
    if (m == mode) return text;
  }
  return "?";
}

const char* protocolName(Protocol protocol) {
  for (const auto& [p, text] : kProtocols) {
    if (p == protocol) return text;
  }
  return "?";
}

}  // namespace im::bench
