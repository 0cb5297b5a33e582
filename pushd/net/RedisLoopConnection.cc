// SPDX-License-Identifier: MIT
// RedisLoopConnection.cc - non-blocking connect, write, read and reply parsing of one connection.
#include "pushd/net/RedisLoopConnection.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <utility>

namespace im::net {
namespace {

// A BLMPOP reply of 100 notifications is typically a few KiB; bigger ones take more reads.
constexpr size_t kReadChunk = 16384;

}  // namespace

RedisLoopConnection::RedisLoopConnection(EventLoop& loop, const common::Clock& clock,
                                         const common::RedisConfig& config)
    : loop_(loop),
      clock_(clock),
      host_(config.host),
      port_(config.port),
      socket_(config.socket),
      sentinel_(config.sentinels.empty() ? nullptr : std::make_unique<common::SentinelResolver>(config)) {}

RedisLoopConnection::~RedisLoopConnection() { close(); }

bool RedisLoopConnection::command(const std::vector<std::string>& argv, int64_t timeoutMs, ReplyHandler onReply) {
  loop_.assertInLoopThread();
  if (onReply_) {
    error_ = "a command is already in flight";
    return false;
  }
  if (!ctx_ && !open()) return false;
  if (common::appendCommand(ctx_.get(), argv) != REDIS_OK) {
    error_ = "cannot encode the command";
    close();
    return false;
  }
  onReply_ = std::move(onReply);
  deadlineMs_ = clock_.steadyMs() + timeoutMs;
  // Connected: write at once (a small command goes out whole). Connecting: onIo writes it.
  if (connected_ && !flush()) {
    close();
    return false;
  }
  return true;
}

void RedisLoopConnection::checkDeadline() {
  loop_.assertInLoopThread();
  if (onReply_ && clock_.steadyMs() >= deadlineMs_) fail("no reply before the deadline");
}

void RedisLoopConnection::close() {
  onReply_ = nullptr;
  if (!ctx_) return;
  loop_.unwatch(ctx_->fd);
  ctx_.reset();  // closes the socket
  connected_ = false;
  interest_ = 0;
}

void RedisLoopConnection::onIo(int fd, uint32_t events) noexcept {
  if (!ctx_ || fd != ctx_->fd) return;
  if (!connected_) {
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;  // still connecting
    if (!finishConnect()) return fail(error_);
  }
  if (!flush()) return fail(error_);
  const bool open = readAvailable();
  const std::string readError = open ? std::string() : error_;
  // A reply read just before the peer closed is still delivered; then the close is reported.
  deliverReply();
  if (!open) fail(readError);
}

// TCP resolves the host synchronously: it is an address (127.0.0.1) in every deployment we know of.
redisContext* RedisLoopConnection::connectNonBlock() {
  if (!sentinel_) {
    peer_ = socket_.empty() ? host_ + ":" + std::to_string(port_) : socket_;
    return socket_.empty() ? redisConnectNonBlock(host_.c_str(), port_) : redisConnectUnixNonBlock(socket_.c_str());
  }
  const auto primary = sentinel_->resolve();
  if (!primary) {
    error_ = "no Redis primary through Sentinel: " + sentinel_->error();
    return nullptr;
  }
  peer_ = primary->text();
  return redisConnectNonBlock(primary->host.c_str(), primary->port);
}

bool RedisLoopConnection::open() {
  error_.clear();
  ctx_.reset(connectNonBlock());
  if (!ctx_ && !error_.empty()) return false;
  if (!ctx_ || ctx_->err) {
    error_ = ctx_ ? std::string("connect: ") + ctx_->errstr : std::string("cannot allocate a Redis context");
    ctx_.reset();
    return false;
  }
  connected_ = false;
  try {
    loop_.watch(ctx_->fd, EPOLLOUT, this);  // writable = the non-blocking connect finished
  } catch (const std::exception& e) {
    error_ = e.what();
    ctx_.reset();
    return false;
  }
  interest_ = EPOLLOUT;
  return true;
}

bool RedisLoopConnection::finishConnect() {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(ctx_->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    error_ = std::string("connect: ") + std::strerror(err);
    return false;
  }
  connected_ = true;
  return true;
}

// Writes what hiredis buffered; watches for writability only while some is left.
bool RedisLoopConnection::flush() {
  int done = 0;
  if (redisBufferWrite(ctx_.get(), &done) != REDIS_OK) {
    error_ = std::string("write: ") + ctx_->errstr;
    return false;
  }
  setInterest(done ? EPOLLIN : EPOLLIN | EPOLLOUT);
  return true;
}

// Feeds what the socket has to hiredis's reader. False on EOF or an error (error_ says which).
bool RedisLoopConnection::readAvailable() {
  char chunk[kReadChunk];
  for (;;) {
    const ssize_t n = ::recv(ctx_->fd, chunk, sizeof chunk, 0);
    if (n > 0) {
      if (redisReaderFeed(ctx_->reader, chunk, static_cast<size_t>(n)) != REDIS_OK) {
        error_ = "cannot buffer the reply";
        return false;
      }
      // A short read drained the socket: skip the recv that would only say EAGAIN.
      if (static_cast<size_t>(n) < sizeof chunk) return true;
    } else if (n == 0) {
      error_ = "Redis closed the connection";
      return false;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return true;
    } else if (errno != EINTR) {
      error_ = std::string("read: ") + std::strerror(errno);
      return false;
    }
  }
}

void RedisLoopConnection::deliverReply() {
  if (!ctx_) return;
  void* raw = nullptr;
  if (redisReaderGetReply(ctx_->reader, &raw) != REDIS_OK) {
    return fail(std::string("protocol error: ") + ctx_->reader->errstr);
  }
  if (!raw) return;  // incomplete: more bytes will come
  common::RedisReply reply(static_cast<redisReply*>(raw));
  ReplyHandler handler = std::exchange(onReply_, nullptr);
  // Nothing asked for a reply when the command was dropped by close(); Redis sends nothing unasked.
  if (handler) handler(std::move(reply));
}

void RedisLoopConnection::fail(std::string why) {
  ReplyHandler handler = std::exchange(onReply_, nullptr);
  close();
  error_ = std::move(why);
  if (handler) handler(std::nullopt);
}

void RedisLoopConnection::setInterest(uint32_t events) {
  if (events == interest_) return;
  loop_.modify(ctx_->fd, events);
  interest_ = events;
}

}  // namespace im::net
