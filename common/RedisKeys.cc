// SPDX-License-Identifier: MIT
// RedisKeys.cc - builds the key names of RedisKeys.h.
#include "common/RedisKeys.h"

namespace im::common::RedisKeys {

std::string session(uint64_t uid) { return "im:{" + std::to_string(uid) + "}:session"; }

std::string presence() { return "im:presence"; }

std::string nodes() { return "im:nodes"; }

std::string nodeNotify(std::string_view nodeId) { return "im:{node:" + std::string(nodeId) + "}:notify"; }

}  // namespace im::common::RedisKeys
