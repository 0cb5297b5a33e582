// SPDX-License-Identifier: MIT
// ListenQueue.h - how many connections wait in the pool socket's accept queue, and its size
// (php-fpm's "listen queue" / "max listen queue"): Linux sock_diag for AF_UNIX, the figures
// `ss -xl` shows as Recv-Q and Send-Q of a listening socket.
#pragma once

#include <cstdint>
#include <optional>

namespace im::fcgi {

struct ListenQueue {
  uint32_t waiting = 0;  // connections nginx made that no worker accepted yet
  uint32_t max = 0;      // the backlog: past it nginx's connects fail (a 503 to the client)
};

// For the listening unix socket `fd`; nullopt when the kernel does not answer (no sock_diag).
std::optional<ListenQueue> listenQueueOf(int fd);

}  // namespace im::fcgi
