// SPDX-License-Identifier: MIT
// RedisClient.h - RAII over hiredis 0.14's redisContext/redisReply, with reconnect on loss.
// A reused connection that fails, or whose server answers as no primary (READONLY, LOADING:
// a Sentinel failover or a restart), is replaced and the call retried once; a new connection
// that fails throws ApiError(Unavailable). With redis.sentinels set, each new connection goes
// to the primary the sentinels name (SentinelResolver). Not thread safe: one client per thread.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Config.h"
#include "common/RedisEndpoint.h"
#include "common/SentinelResolver.h"

namespace im::common {

// Owns one redisReply tree.
class RedisReply {
 public:
  RedisReply() = default;
  explicit RedisReply(redisReply* r) : reply_(r) {}

  bool isNil() const { return !reply_ || reply_->type == REDIS_REPLY_NIL; }
  bool isError() const { return reply_ && reply_->type == REDIS_REPLY_ERROR; }
  bool isArray() const { return reply_ && reply_->type == REDIS_REPLY_ARRAY; }
  long long integer() const { return reply_ && reply_->type == REDIS_REPLY_INTEGER ? reply_->integer : 0; }
  // The string of a STRING, STATUS or ERROR reply; empty otherwise.
  std::string_view str() const;
  size_t size() const { return isArray() ? reply_->elements : 0; }
  // Element i of an array reply (borrowed: valid while this reply lives).
  const redisReply* element(size_t i) const { return reply_->element[i]; }
  const redisReply* get() const { return reply_.get(); }

 private:
  struct Free {
    void operator()(redisReply* r) const { freeReplyObject(r); }
  };
  std::unique_ptr<redisReply, Free> reply_;
};

// The string of a STRING/STATUS reply element, empty for anything else.
std::string_view replyString(const redisReply* r);

// Appends one argv-style command (binary safe) to ctx's output buffer: REDIS_OK or REDIS_ERR.
// Shared by the blocking client below and pushd's non-blocking loop connection.
int appendCommand(redisContext* ctx, const std::vector<std::string>& argv);

class RedisClient {
 public:
  RedisClient(std::string host, int port, int timeoutMs);
  // host/port, or the unix socket when config.socket is set.
  explicit RedisClient(const RedisConfig& config);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command, argv-style (binary safe).
  RedisReply command(const std::vector<std::string>& argv);
  // Several commands in one round trip; replies in order. A Redis error reply
  // to one command is returned, not thrown.
  std::vector<RedisReply> pipeline(const std::vector<std::vector<std::string>>& commands);
  // Changes the socket timeout (for blocking commands such as BLMPOP).
  void setTimeoutMs(int timeoutMs);
  bool connected() const { return ctx_ != nullptr; }
  void disconnect() { ctx_.reset(); }

 private:
  void ensureConnected();
  redisContext* connectToPrimary(const timeval& tv);
  // Sends and reads on the current connection; nullopt on any I/O or protocol failure.
  std::optional<std::vector<RedisReply>> tryPipeline(const std::vector<std::vector<std::string>>& commands);
  [[noreturn]] void fail(const std::string& what);

  struct Free {
    void operator()(redisContext* c) const { redisFree(c); }
  };
  std::string host_;
  int port_;
  std::string socket_;  // empty: TCP to host_:port_
  int timeoutMs_;
  std::unique_ptr<SentinelResolver> sentinel_;  // null: host/port or socket, no Sentinel
  std::optional<RedisEndpoint> primary_;        // the last primary Sentinel named (for the log)
  static constexpr std::chrono::milliseconds kFirstResolveBackoff{50}, kMaxResolveBackoff{500};
  std::chrono::milliseconds resolveBackoff_{0};           // 0 while the sentinels name a primary
  std::chrono::steady_clock::time_point resolveAgainAt_;  // no question to them before this
  std::unique_ptr<redisContext, Free> ctx_;
};

}  // namespace im::common
