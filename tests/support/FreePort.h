// SPDX-License-Identifier: MIT
// FreePort.h - free TCP ports on 127.0.0.1 for test servers, taken below the kernel's ephemeral range.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

namespace im::test {

class FreePort {
 public:
  // A port nothing listens on right now, chosen at random below the ephemeral range: a port
  // the kernel hands out for outgoing connections (bind to port 0) can be taken as the local
  // end of any connect() - the stack's own Redis and MariaDB clients - before the server
  // binds it. Below the range only another listener can take it, and the window is short.
  static uint16_t any() {
    static std::mt19937 rng(std::random_device{}());
    const int top = ephemeralStart();
    std::uniform_int_distribution<int> pick(kFirst, top - 1);
    for (int attempt = 0; attempt < 1000; ++attempt) {
      if (const uint16_t port = bindOrZero(static_cast<uint16_t>(pick(rng)))) return port;
    }
    throw std::runtime_error("FreePort: no free port in " + std::to_string(kFirst) + "-" + std::to_string(top - 1));
  }

  // The first of `count` consecutive free ports (pushd nodes listen on port, port+1, ...).
  static uint16_t consecutive(int count) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      const uint16_t first = any();
      if (first + count > ephemeralStart()) continue;  // the whole run stays below the range
      bool allFree = true;
      for (int i = 1; i < count && allFree; ++i) {
        allFree = bindOrZero(static_cast<uint16_t>(first + i)) != 0;
      }
      if (allFree) return first;
    }
    throw std::runtime_error("FreePort: no " + std::to_string(count) + " consecutive free ports");
  }

 private:
  static constexpr int kFirst = 20000;  // above the well-known and registered services people run

  // The first port of net.ipv4.ip_local_port_range (32768 by default).
  static int ephemeralStart() {
    std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
    int low = 0;
    return range >> low && low > kFirst + 1000 ? low : 32768;
  }

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
