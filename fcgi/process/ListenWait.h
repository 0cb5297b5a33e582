// SPDX-License-Identifier: MIT
// ListenWait.h - a worker's wait for the next connection on the listening socket all workers
// share. The socket is made non-blocking and idle workers wait in epoll (EPOLLEXCLUSIVE: one
// woken per connection, not all), so accept() never blocks: a worker holding a send can take
// what is queued behind it and no more (WorkerLoop), and an idle one still wakes on time.
#pragma once

#include <cstdint>

#include "common/UniqueFd.h"

namespace im::fcgi {

class ListenWait {
 public:
  // Sets O_NONBLOCK on the socket: the flag belongs to the open file, so every worker's accept
  // returns EAGAIN from then on instead of sleeping (MasterReexec clears it for the next image).
  explicit ListenWait(int listenFd);
  ListenWait(const ListenWait&) = delete;
  ListenWait& operator=(const ListenWait&) = delete;

  // Waits up to `timeoutMs` for a connection to be queued; false on timeout or on a signal.
  // Another worker may still take it first: the accept that follows can find nothing.
  bool wait(int64_t timeoutMs);

  // Sets or clears O_NONBLOCK. MasterReexec clears it before an exec: the next image may be an
  // older one whose workers block in accept(), and would spin on a non-blocking socket.
  static void setNonBlocking(int listenFd, bool on);

 private:
  common::UniqueFd epoll_;
};

}  // namespace im::fcgi
