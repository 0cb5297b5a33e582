// SPDX-License-Identifier: MIT
// LoadMode.h - what im-loadgen does once its polls are held (LoadGen.h says each), and whose
// long-poll protocol it speaks: parsed once from the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace im::bench {

// What the generator does once its polls are held (see the file comment), parsed once.
enum class Mode : uint8_t { Hold, Latency, Fanout, Closed, Capacity };
enum class Protocol : uint8_t { Im, Nchan };
// nullopt for an unknown name; the names are the command line's.
std::optional<Mode> parseMode(const std::string& name);
std::optional<Protocol> parseProtocol(const std::string& name);
const char* modeName(Mode mode);
const char* protocolName(Protocol protocol);

}  // namespace im::bench
