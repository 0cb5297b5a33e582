// SPDX-License-Identifier: MIT
// RedisClient.cc - connection management and argv-style commands over hiredis.
#include "common/RedisClient.h"

#include <sys/time.h>

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
    : host_(config.host), port_(config.port), socket_(config.socket), timeoutMs_(config.timeoutMs) {}

void RedisClient::ensureConnected() {
  if (ctx_) return;
  const timeval tv = toTimeval(timeoutMs_);
  // A unix socket skips the TCP stack: fewer cycles per round trip on a same-host Redis.
  ctx_.reset(socket_.empty() ? redisConnectWithTimeout(host_.c_str(), port_, tv)
                             : redisConnectUnixWithTimeout(socket_.c_str(), tv));
  if (!ctx_) fail("cannot allocate a Redis context");
  if (ctx_->err) fail(std::string("cannot connect to Redis: ") + ctx_->errstr);
  redisSetTimeout(ctx_.get(), tv);
  ++connections_;
}

const std::string& RedisClient::instanceId() {
  if (instanceIdOf_ == connections_ && !instanceId_.empty() && ctx_) return instanceId_;
  const RedisReply info = command({"INFO", "server"});
  const std::string_view text = info.str();
  const auto at = text.find("run_id:");
  if (info.isError() || at == std::string_view::npos) fail("Redis INFO has no run_id");
  const auto end = text.find_first_of("\r\n", at);
  instanceId_ = std::string(text.substr(at + 7, end == std::string_view::npos ? end : end - at - 7));
  instanceIdOf_ = connections_;  // the reply came on the current connection
  return instanceId_;
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
  if (ctx_) {
    if (auto replies = tryPipeline(commands)) return std::move(*replies);
    ctx_.reset();
  }
  ensureConnected();
  auto replies = tryPipeline(commands);
  if (!replies) fail("Redis command failed");
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
