// SPDX-License-Identifier: MIT
// PollResponder.h - the registry -> server half of the seam: how PollRegistry ends a poll on a
// socket it does not own (PollServer implements it; a test passes a recording fake).
#pragma once

#include "pushd/Answer.h"
#include "pushd/net/Connection.h"

namespace im::pushd {

// Loop thread. The registry calls these from inside its own operations (hold, notify, tick,
// answerAll), so they must not call back into the registry: they only write or close, and an
// unknown or already answered connection is ignored. The connection may be gone on return.
class PollResponder {
 public:
  virtual ~PollResponder() = default;
  // Writes a 200 with `answer.body` on `connection`, then closes it; times the push leg when
  // `answer.pushStartUs` is set.
  virtual void respond(net::ConnectionId connection, Answer answer) = 0;
  // Closes `connection` without writing (its client went away).
  virtual void close(net::ConnectionId connection) = 0;
};

}  // namespace im::pushd
