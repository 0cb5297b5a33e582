// SPDX-License-Identifier: MIT
// IoHandler.h - what the EventLoop calls when a watched descriptor is ready.
#pragma once

#include <cstdint>

namespace im::net {

class IoHandler {
 public:
  virtual ~IoHandler() = default;
  // Loop thread. `events` are epoll flags. Must not throw: catch and log (STYLE guideline 6).
  // Spurious calls happen (an fd closed and reused within one epoll batch), so handlers
  // decide from the result of their read/write/accept call, never from `events` alone.
  virtual void onIo(int fd, uint32_t events) noexcept = 0;
};

}  // namespace im::net
