// SPDX-License-Identifier: MIT
// RedisLoopConnection.h - one non-blocking hiredis connection driven by the EventLoop: connect,
// send one command, read its one reply, all on the loop thread, with a deadline per command.
//
// Why by hand rather than redisAsyncContext: we only ever have one command in flight, and the
// async API frees its context itself on a disconnect (a second, hidden owner) and has no
// timeouts in hiredis 0.14, so we would wrap as much as we write here. hiredis still does the
// connect, the command encoding, the output buffer and the RESP parsing. It writes with write(),
// so the process must ignore SIGPIPE (PushdApp does).
//
// With redis.sentinels set, each (re)connect first asks the sentinels where the primary is
// (SentinelResolver, blocking: at most redis.timeout_ms per step, and only when reconnecting,
// which on loopback costs well under a millisecond); a command never does.
#pragma once

#include <hiredis/hiredis.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/Config.h"
#include "common/RedisClient.h"
#include "common/SentinelResolver.h"
#include "pushd/net/EventLoop.h"
#include "pushd/net/IoHandler.h"
#include "pushd/net/NextDue.h"

namespace im::net {

class RedisLoopConnection final : public IoHandler {
 public:
  // The reply, or nullopt when the connection failed (refused, closed, protocol error, deadline
  // passed); it is closed then, error() says why, and the next command reconnects.
  using ReplyHandler = std::function<void(std::optional<common::RedisReply> reply)>;

  // Connects to the primary config.sentinels name when set, else to config.socket (a unix
  // socket) when set, else to config.host:config.port.
  RedisLoopConnection(EventLoop& loop, const common::Clock& clock, const common::RedisConfig& config);
  // Loop thread (or the owner of a stopped loop).
  ~RedisLoopConnection() override;
  RedisLoopConnection(const RedisLoopConnection&) = delete;
  RedisLoopConnection& operator=(const RedisLoopConnection&) = delete;

  // Loop thread. Connects if needed, queues `argv` and arranges for `onReply` to run once, on the
  // loop thread, within `timeoutMs` (connecting included). `onReply` may issue the next command;
  // it must not destroy this object. False when the command could not even start (no socket,
  // a command already in flight): `onReply` will not run, error() says why.
  bool command(const std::vector<std::string>& argv, int64_t timeoutMs, ReplyHandler onReply);
  // Loop thread. Fails the command in flight once its deadline passed: a Redis that stopped
  // answering without closing (paused, host gone) would otherwise hold us forever.
  void checkDeadline();
  // Loop thread. Closes the socket; a command in flight is dropped without calling its handler.
  void close();

  // Loop thread.
  bool busy() const { return static_cast<bool>(onReply_); }
  // Loop thread. When checkDeadline() fails the command in flight; nullopt when none is.
  NextDue deadlineMs() const { return busy() ? NextDue(deadlineMs_) : std::nullopt; }
  const std::string& error() const { return error_; }
  // Loop thread. The server the last connection went to ("host:port" or the socket path): behind
  // Sentinel it changes with a failover.
  const std::string& peer() const { return peer_; }

  void onIo(int fd, uint32_t events) noexcept override;

 private:
  bool open();
  redisContext* connectNonBlock();
  bool finishConnect();
  bool flush();
  bool readAvailable();
  void deliverReply();
  void fail(std::string why);
  void setInterest(uint32_t events);

  struct Free {
    void operator()(redisContext* c) const { redisFree(c); }
  };

  EventLoop& loop_;
  const common::Clock& clock_;
  const std::string host_;
  const int port_;
  const std::string socket_;  // empty: TCP
  const std::unique_ptr<common::SentinelResolver> sentinel_;  // null: no Sentinel
  std::unique_ptr<redisContext, Free> ctx_;  // null while closed
  bool connected_ = false;                   // the non-blocking connect completed
  uint32_t interest_ = 0;                    // epoll events currently watched
  ReplyHandler onReply_;                     // set while a command is in flight
  int64_t deadlineMs_ = 0;
  std::string error_;
  std::string peer_;
};

}  // namespace im::net
