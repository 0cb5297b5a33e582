// SPDX-License-Identifier: MIT
// FreePort.h - free TCP ports on 127.0.0.1 for test servers (the kernel picks them: bind to port 0).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace im::test {

class FreePort {
 public:
  // A port nothing listens on right now. The socket is closed before returning, so another
  // process could take it before the server does; the window is short and ports are plenty.
  static uint16_t any() { return bindOrZero(0); }

  // The first of `count` consecutive free ports (pushd nodes listen on port, port+1, ...).
  static uint16_t consecutive(int count) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      const uint16_t first = any();
      if (first == 0 || first > 65535 - count) continue;
      bool allFree = true;
      for (int i = 1; i < count && allFree; ++i) {
        allFree = bindOrZero(static_cast<uint16_t>(first + i)) != 0;
      }
      if (allFree) return first;
    }
    throw std::runtime_error("FreePort: no " + std::to_string(count) + " consecutive free ports");
  }

 private:
  // Binds `port` (0 = any) on loopback; the bound port, or 0 when it is taken.
  static uint16_t bindOrZero(uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("FreePort: socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    uint16_t bound = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      bound = ntohs(addr.sin_port);
    }
    ::close(fd);
    return bound;
  }
};

}  // namespace im::test
