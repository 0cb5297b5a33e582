// SPDX-License-Identifier: MIT
// PollResponder.h - how PollRegistry reaches the sockets (PollServer) without owning them;
// a test passes a recording fake.
#pragma once

#include <cstdint>
#include <string>

#include "pushd/HeldPoll.h"

namespace im::pushd {

class PollResponder {
 public:
  virtual ~PollResponder() = default;
  // Loop thread. Writes a 200 answer with `body` on `connection`, then closes it. `poppedUs`
  // (Stats::nowUs of the notification's pop, 0 = none) measures the push leg. An unknown or
  // closed connection is ignored.
  virtual void respond(net::ConnectionId connection, std::string body, int64_t poppedUs) = 0;
  // Loop thread. Closes `connection` without writing (its client went away).
  virtual void close(net::ConnectionId connection) = 0;
};

}  // namespace im::pushd
