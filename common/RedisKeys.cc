// SPDX-License-Identifier: MIT
// RedisKeys.cc - builds the key names of RedisKeys.h.
#include "common/RedisKeys.h"

namespace im::common::RedisKeys {

std::string session(uint64_t uid) { return "im:{" + std::to_string(uid) + "}:session"; }

std::string presence() { return "im:presence"; }

std::string nodes() { return "im:nodes"; }

std::string nodeNotify(std::string_view nodeId) { return "im:{node:" + std::string(nodeId) + "}:notify"; }

std::string nodeBeat(std::string_view nodeId) { return "im:{node:" + std::string(nodeId) + "}:beat"; }

std::string sendRate(uint64_t uid) { return "im:{" + std::to_string(uid) + "}:rate:send"; }

std::string loginRateUser(std::string_view username) { return "im:rate:login:user:" + std::string(username); }

std::string loginRateAddr(std::string_view remoteAddr) { return "im:rate:login:addr:" + std::string(remoteAddr); }

std::string typingGate(uint64_t uid, std::string_view conversation) {
  return "im:{" + std::to_string(uid) + "}:typing:" + std::string(conversation);
}

std::string authToken(std::string_view tokenHashHex) { return "im:auth:" + std::string(tokenHashHex); }

std::string lastSeq(uint64_t uid) { return "im:{" + std::to_string(uid) + "}:lastseq"; }

}  // namespace im::common::RedisKeys
