// SPDX-License-Identifier: MIT
// Connection.cc - non-blocking reads and writes of one socket.
#include "pushd/net/Connection.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace im::net {
namespace {

constexpr size_t kReadChunk = 4096;

bool wouldBlock() { return errno == EAGAIN || errno == EWOULDBLOCK; }

}  // namespace

Connection::Connection(common::UniqueFd fd, ConnectionId id, int64_t openedMs)
    : fd_(std::move(fd)), id_(id), openedMs_(openedMs) {}

Connection::Io Connection::readHead(size_t cap) {
  char chunk[kReadChunk];
  while (in_.size() < cap) {
    const ssize_t n = ::recv(fd_.get(), chunk, std::min(sizeof chunk, cap - in_.size()), 0);
    if (n > 0) {
      in_.append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      return Io::Eof;
    } else if (errno == EINTR) {
      continue;
    } else {
      return wouldBlock() ? Io::Again : Io::Error;
    }
  }
  return Io::Again;
}

Connection::Io Connection::drain() {
  char chunk[512];
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
    if (n > 0) continue;
    if (n == 0) return Io::Eof;
    if (errno == EINTR) continue;
    return wouldBlock() ? Io::Again : Io::Error;
  }
}

void Connection::hold(uint64_t tag) {
  state_ = State::Held;
  tag_ = tag;
  std::string().swap(in_);
}

void Connection::startWrite(std::string bytes) {
  state_ = State::Writing;
  tag_ = 0;
  std::string().swap(in_);
  out_ = std::move(bytes);
  written_ = 0;
}

Connection::Io Connection::flush() {
  while (written_ < out_.size()) {
    // MSG_MORE: the answer is the last thing this socket carries, and the close that follows
    // sends it together with the FIN, one segment (and one ACK) instead of two on loopback.
    const ssize_t n =
        ::send(fd_.get(), out_.data() + written_, out_.size() - written_, MSG_NOSIGNAL | MSG_MORE);
    if (n >= 0) {
      written_ += static_cast<size_t>(n);
    } else if (errno == EINTR) {
      continue;
    } else {
      return wouldBlock() ? Io::Again : Io::Error;
    }
  }
  return Io::Done;
}

}  // namespace im::net
