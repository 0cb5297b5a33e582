// SPDX-License-Identifier: MIT
// ListenWait.cc - epoll on the shared listening socket. EPOLLEXCLUSIVE (Linux 4.5) wakes one
// of the waiting workers per new connection, as a blocking accept() did.
#include "fcgi/process/ListenWait.h"

#include <fcntl.h>
#include <sys/epoll.h>

#include <stdexcept>

namespace im::fcgi {

ListenWait::ListenWait(int listenFd) : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
  if (!epoll_.valid()) throw std::runtime_error("epoll_create1 failed");
  setNonBlocking(listenFd, true);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  ev.data.fd = listenFd;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, listenFd, &ev) != 0) throw std::runtime_error("epoll_ctl failed");
}

bool ListenWait::wait(int64_t timeoutMs) {
  epoll_event ev{};
  return epoll_wait(epoll_.get(), &ev, 1, static_cast<int>(timeoutMs)) == 1;  // EINTR: -1, the loop decides
}

void ListenWait::setNonBlocking(int listenFd, bool on) {
  const int flags = fcntl(listenFd, F_GETFL);
  fcntl(listenFd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

}  // namespace im::fcgi
