// SPDX-License-Identifier: MIT
// PollHandler.h - the server -> registry half of the seam: what PollServer asks of the node for
// the requests it routes (PollRegistry implements it; a test passes a recording fake).
#pragma once

#include <string>

#include "common/HoldRequest.h"
#include "pushd/HeldPoll.h"
#include "pushd/net/Connection.h"

namespace im::pushd {

// Loop thread, called from inside PollServer's socket events. Re-entrancy contract: during any
// of these the handler may answer or close any connection through PollResponder, and the
// server touches a connection afterwards only as the return value allows (see hold()), so it
// never looks a connection up again to find out whether it survived.
class PollHandler {
 public:
  virtual ~PollHandler() = default;
  // GET /hold on `connection`. Returns the held poll's id: the connection was not answered and
  // the server keeps it open for the poll. 0: it was answered at once (it may be gone already).
  virtual PollId hold(common::HoldRequest request, net::ConnectionId connection) = 0;
  // The client of held poll `poll` went away; the server closed its connection already.
  virtual void clientGone(PollId poll) = 0;
  // GET /stats: the body (Stats::render's JSON).
  virtual std::string stats() const = 0;
};

}  // namespace im::pushd
