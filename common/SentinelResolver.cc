// SPDX-License-Identifier: MIT
// SentinelResolver.cc - one short blocking connection per question asked.
#include "common/SentinelResolver.h"

#include <sys/time.h>

#include <algorithm>
#include <memory>

#include "common/RedisClient.h"

namespace im::common {
namespace {

struct FreeContext {
  void operator()(redisContext* c) const { redisFree(c); }
};

// One command on a connection of its own, closed afterwards; nullopt (and `error`) on any failure.
std::optional<RedisReply> askOnce(const RedisEndpoint& at, const std::vector<std::string>& argv, int timeoutMs,
                                  std::string& error) {
  timeval tv{};
  tv.tv_sec = timeoutMs / 1000;
  tv.tv_usec = (timeoutMs % 1000) * 1000;
  std::unique_ptr<redisContext, FreeContext> ctx(redisConnectWithTimeout(at.host.c_str(), at.port, tv));
  if (!ctx || ctx->err) {
    error = at.text() + ": " + (ctx ? ctx->errstr : "cannot allocate a Redis context");
    return std::nullopt;
  }
  redisSetTimeout(ctx.get(), tv);
  void* raw = nullptr;
  if (appendCommand(ctx.get(), argv) != REDIS_OK || redisGetReply(ctx.get(), &raw) != REDIS_OK || !raw) {
    error = at.text() + ": " + ctx->errstr;
    return std::nullopt;
  }
  return RedisReply(static_cast<redisReply*>(raw));
}

}  // namespace

SentinelResolver::SentinelResolver(const RedisConfig& config)
    : sentinels_(parseEndpoints(config.sentinels)), masterName_(config.masterName), timeoutMs_(config.timeoutMs) {}

std::optional<RedisEndpoint> SentinelResolver::resolve() {
  if (sentinels_.empty()) {
    error_ = "no sentinel configured";
    return std::nullopt;
  }
  // Sentinels mostly agree: a candidate that failed its ROLE check is not probed again (a dead
  // primary on a host that drops packets would cost a timeout per sentinel).
  std::vector<RedisEndpoint> refused;
  for (size_t i = 0; i < sentinels_.size(); ++i) {
    const size_t at = (preferred_ + i) % sentinels_.size();
    auto primary = ask(sentinels_[at]);
    if (!primary) continue;
    // This sentinel knows the current primary: ask it first next time.
    preferred_ = at;
    if (std::find(refused.begin(), refused.end(), *primary) != refused.end()) continue;
    if (isPrimary(*primary)) return primary;
    refused.push_back(*primary);
  }
  return std::nullopt;
}

std::optional<RedisEndpoint> SentinelResolver::ask(const RedisEndpoint& sentinel) {
  auto reply = askOnce(sentinel, {"SENTINEL", "get-master-addr-by-name", masterName_}, timeoutMs_, error_);
  if (!reply) return std::nullopt;
  auto primary = masterFromSentinelReply(reply->get());
  if (!primary) error_ = "sentinel " + sentinel.text() + " does not know the primary '" + masterName_ + "'";
  return primary;
}

// A sentinel may still name a primary it has just demoted (or one that restarted empty and has
// not been reconfigured yet); only the server itself knows its role for sure.
bool SentinelResolver::isPrimary(const RedisEndpoint& candidate) {
  auto reply = askOnce(candidate, {"ROLE"}, timeoutMs_, error_);
  if (!reply) return false;
  if (isPrimaryRoleReply(reply->get())) return true;
  const std::string role(reply->size() > 0 ? replyString(reply->element(0)) : reply->str());
  error_ = candidate.text() + " answers ROLE " + role + ", not master";
  return false;
}

}  // namespace im::common
