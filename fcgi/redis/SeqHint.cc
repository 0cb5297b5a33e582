// SPDX-License-Identifier: MIT
// SeqHint.cc - one pipelined ZADD GT (+ PEXPIRE) per participant: member run_id, score seq.
#include "fcgi/redis/SeqHint.h"

#include <string>

#include "common/Log.h"
#include "common/RedisKeys.h"

namespace im::fcgi {

void SeqHint::raise(const std::vector<common::Recipient>& recipients) noexcept {
  if (recipients.empty()) return;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(recipients.size());
  try {
    const std::string& life = redis_.instanceId();
    for (const auto& r : recipients) {
      const std::string key = common::RedisKeys::lastSeq(r.uid);
      commands.push_back({"ZADD", key, "GT", std::to_string(r.seq), life});
      commands.push_back({"PEXPIRE", key, std::to_string(kTtlMs)});
    }
    for (const auto& reply : redis_.pipeline(commands)) {
      if (reply.isError()) throw std::runtime_error(std::string(reply.str()));
    }
    return;
  } catch (const std::exception& e) {
    IM_WARN("hint", std::string("last seq hint not written, deleting it: ") + e.what());
  }
  // A hint left one seq low would hold a re-poll that has a message to fetch.
  try {
    std::vector<std::string> del{"DEL"};
    for (const auto& r : recipients) del.push_back(common::RedisKeys::lastSeq(r.uid));
    redis_.command(del);
  } catch (const std::exception& e) {
    IM_WARN("hint", std::string("last seq hint not deleted either: ") + e.what());
  }
}

std::vector<std::string> SeqHint::readCommand(uint64_t uid) { return {"ZSCORE", common::RedisKeys::lastSeq(uid), redis_.instanceId()}; }

std::optional<uint64_t> SeqHint::parse(const common::RedisReply& reply) {
  if (reply.isNil() || reply.isError()) return std::nullopt;  // no hint of this Redis life
  const std::string seq(reply.str());
  char* end = nullptr;
  const uint64_t out = std::strtoull(seq.c_str(), &end, 10);
  if (seq.empty() || *end != '\0') return std::nullopt;
  return out;
}

}  // namespace im::fcgi
