// SPDX-License-Identifier: MIT
// RedisClient.cc - connection management and argv-style commands over hiredis.
#include "common/RedisClient.h"

#include <sys/time.h>

#include <algorithm>

#include "common/ApiError.h"
#include "common/Log.h"

namespace im::common {
namespace {

timeval toTimeval(int ms) {
  timeval tv{};
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return tv;
}

// The first reply that says the server is no primary now (RedisEndpoint's isFailoverError).
std::string failoverError(const std::vector<RedisReply>& replies) {
  for (const auto& r : replies) {
    if (r.isError() && isFailoverError(r.str())) return std::string(r.str());
  }
  return {};
}

}  // namespace

int appendCommand(redisContext* ctx, const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  ptrs.reserve(argv.size());
  lens.reserve(argv.size());
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  return redisAppendCommandArgv(ctx, static_cast<int>(argv.size()), ptrs.data(), lens.data());
}

std::string_view replyString(const redisReply* r) {
  if (!r) return {};
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_ERROR) {
    return {r->str, r->len};
  }
  return {};
}

std::string_view RedisReply::str() const { return replyString(reply_.get()); }

RedisClient::RedisClient(std::string host, int port, int timeoutMs)
    : host_(std::move(host)), port_(port), timeoutMs_(timeoutMs) {}

RedisClient::RedisClient(const RedisConfig& config)
    : host_(config.host),
      port_(config.port),
      socket_(config.socket),
      timeoutMs_(config.timeoutMs),
      sentinel_(config.sentinels.empty() ? nullptr : std::make_unique<SentinelResolver>(config)) {}

RedisClient::~RedisClient() = default;

void RedisClient::ensureConnected() {
  if (ctx_) return;
  const timeval tv = toTimeval(timeoutMs_);
  if (sentinel_) {
    ctx_.reset(connectToPrimary(tv));
  } else {
    // A unix socket skips the TCP stack: fewer cycles per round trip on a same-host Redis.
    ctx_.reset(socket_.empty() ? redisConnectWithTimeout(host_.c_str(), port_, tv)
                               : redisConnectUnixWithTimeout(socket_.c_str(), tv));
  }
  if (!ctx_) fail("cannot allocate a Redis context");
  if (ctx_->err) fail(std::string("cannot connect to Redis: ") + ctx_->errstr);
  redisSetTimeout(ctx_.get(), tv);
}

// Sentinel mode: where the primary is now (a failover moves it), asked only when connecting.
// While no primary is known (a failover under way), a worker asks the sentinels again only after
// 50 ms doubling to 500 ms: at a thousand requests a second it would otherwise open thousands of
// short connections a second to them. Requests in between fail at once, as "Redis unavailable".
redisContext* RedisClient::connectToPrimary(const timeval& tv) {
  const auto now = std::chrono::steady_clock::now();
  if (now < resolveAgainAt_) throw ApiError(ErrorCode::Unavailable, "Redis is unavailable.");
  const auto primary = sentinel_->resolve();
  if (!primary) {
    resolveBackoff_ = std::clamp(resolveBackoff_ * 2, kFirstResolveBackoff, kMaxResolveBackoff);
    resolveAgainAt_ = now + resolveBackoff_;
    fail("cannot find the Redis primary '" + sentinel_->masterName() + "': " + sentinel_->error());
  }
  resolveBackoff_ = std::chrono::milliseconds(0);
  if (!primary_ || !(*primary_ == *primary)) IM_INFO("redis", "the Redis primary is " + primary->text());
  primary_ = primary;
  return redisConnectWithTimeout(primary->host.c_str(), primary->port, tv);
}

void RedisClient::fail(const std::string& what) {
  std::string message = what;
  if (ctx_ && ctx_->err && what.find(ctx_->errstr) == std::string::npos) message += std::string(": ") + ctx_->errstr;
  ctx_.reset();  // reconnect on the next call
  IM_WARN("redis", message);
  throw ApiError(ErrorCode::Unavailable, "Redis is unavailable.");
}

void RedisClient::setTimeoutMs(int timeoutMs) {
  timeoutMs_ = timeoutMs;
  if (ctx_) redisSetTimeout(ctx_.get(), toTimeval(timeoutMs));
}

RedisReply RedisClient::command(const std::vector<std::string>& argv) {
  auto replies = pipeline({argv});
  return std::move(replies.front());
}

std::vector<RedisReply> RedisClient::pipeline(const std::vector<std::vector<std::string>>& commands) {
  // A connection that sat idle may have been closed by a Redis restart; that shows only when it
  // is used. Such a failure gets one retry on a new connection (the old server was gone, so it
  // ran nothing). Only a reply lost to a timeout on a live server could make a command run twice,
  // and every command we send tolerates that: session and presence writes are idempotent, pushd
  // drops a notification for a seq it has already answered, a rate counter counts one extra.
  // A new connection that fails means Redis is down.
  // A server that answers READONLY or LOADING ran none of our writes (a replica refuses them, a
  // loading server refuses everything): after a failover it is the old primary, so the retry
  // goes to the primary the sentinels name now.
  if (ctx_) {
    auto replies = tryPipeline(commands);
    if (replies && failoverError(*replies).empty()) return std::move(*replies);
    ctx_.reset();
  }
  ensureConnected();
  auto replies = tryPipeline(commands);
  if (!replies) fail("Redis command failed");
  if (const std::string error = failoverError(*replies); !error.empty()) fail("Redis cannot take writes: " + error);
  return std::move(*replies);
}

std::optional<std::vector<RedisReply>> RedisClient::tryPipeline(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& argv : commands) appendCommand(ctx_.get(), argv);
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || !raw) return std::nullopt;
    replies.emplace_back(static_cast<redisReply*>(raw));
  }
  return replies;
}

}  // namespace im::common
