// SPDX-License-Identifier: MIT
// TokenCache.cc - the entry format ("s|<run_id>|<session>|<user>|<last used ms>|<username>"),
// tickets ("t<pid>.<n>") and tombstones ("r").
#include "fcgi/redis/TokenCache.h"

#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "common/ApiError.h"
#include "common/Log.h"
#include "common/RedisKeys.h"

namespace im::fcgi {
namespace {

constexpr const char* kTombstone = "r";

// Compare-and-set: the entry replaces the ticket only if the ticket is still there.
constexpr const char* kFillScript =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end return false";

std::optional<CachedSession> parseEntry(const std::string& value, const std::string& instance) {
  std::istringstream in(value);
  std::string kind, runId, sid, uid, used;
  if (!std::getline(in, kind, '|') || kind != "s" || !std::getline(in, runId, '|') || runId != instance) return {};
  if (!std::getline(in, sid, '|') || !std::getline(in, uid, '|') || !std::getline(in, used, '|')) return {};
  CachedSession s;
  s.sessionId = std::strtoull(sid.c_str(), nullptr, 10);
  s.userId = std::strtoull(uid.c_str(), nullptr, 10);
  s.lastUsedMs = std::strtoll(used.c_str(), nullptr, 10);
  std::getline(in, s.username);
  if (s.sessionId == 0 || s.userId == 0) return {};
  return s;
}

}  // namespace

TokenCache::Lookup TokenCache::find(const std::string& tokenHashHex) noexcept {
  Lookup out;
  try {
    const std::string ticket = "t" + std::to_string(getpid()) + "." + std::to_string(++tickets_);
    const auto reply = redis_.command({"SET", common::RedisKeys::authToken(tokenHashHex), ticket, "NX", "PX",
                                       std::to_string(kTicketTtlMs), "GET"});
    if (reply.isError()) throw std::runtime_error(std::string(reply.str()));
    if (reply.isNil()) {  // the key was free: our ticket is in it now
      out.ticket = ticket;
      return out;
    }
    const std::string value(reply.str());
    if (value == kTombstone) {
      out.kind = Lookup::Kind::Revoked;
    } else if (auto s = parseEntry(value, redis_.instanceId())) {
      out.kind = Lookup::Kind::Hit;
      out.session = std::move(*s);
    }  // another request's ticket, or an entry of another Redis life: MySQL, no fill
  } catch (const std::exception& e) {
    IM_DEBUG("auth", std::string("token cache skipped: ") + e.what());
  }
  return out;
}

void TokenCache::fill(const std::string& tokenHashHex, const std::string& ticket, const CachedSession& s,
                      int64_t touchDueMs, int64_t idleAtMs) noexcept {
  const int64_t ttl = std::min({kEntryTtlMs, touchDueMs - clock_.wallMs(), idleAtMs - clock_.wallMs()});
  if (ticket.empty() || ttl <= 0) return;
  try {
    const std::string value = "s|" + redis_.instanceId() + "|" + std::to_string(s.sessionId) + "|" +
                              std::to_string(s.userId) + "|" + std::to_string(s.lastUsedMs) + "|" + s.username;
    redis_.command({"EVAL", kFillScript, "1", common::RedisKeys::authToken(tokenHashHex), ticket, value,
                    std::to_string(ttl)});
  } catch (const std::exception& e) {
    IM_DEBUG("auth", std::string("token cache not filled: ") + e.what());
  }
}

void TokenCache::revoke(const std::vector<std::string>& tokenHashesHex) {
  if (tokenHashesHex.empty()) return;
  std::vector<std::vector<std::string>> commands;
  for (const auto& hash : tokenHashesHex) {
    commands.push_back({"SET", common::RedisKeys::authToken(hash), kTombstone, "PX", std::to_string(kTombstoneTtlMs)});
  }
  for (const auto& reply : redis_.pipeline(commands)) {
    if (!reply.isError()) continue;
    IM_WARN("auth", "tombstone not written: " + std::string(reply.str()));
    throw common::ApiError(common::ErrorCode::Unavailable, "Redis is unavailable.");
  }
}

void TokenCache::withdraw(const std::vector<std::string>& tokenHashesHex) noexcept {
  if (tokenHashesHex.empty()) return;
  try {
    std::vector<std::string> del{"DEL"};
    for (const auto& hash : tokenHashesHex) del.push_back(common::RedisKeys::authToken(hash));
    redis_.command(del);
  } catch (const std::exception& e) {
    IM_WARN("auth", std::string("tombstones left after a failed revocation: ") + e.what());
  }
}

}  // namespace im::fcgi
