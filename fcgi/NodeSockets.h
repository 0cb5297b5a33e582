// SPDX-License-Identifier: MIT
// NodeSockets.h - which push nodes nginx reaches over their unix socket (pushd.socket_dir): those
// whose socket file is in that directory on this host, unless a hand-over through it failed
// lately; and, when one fails, whether the node is dead or only its socket out of nginx's reach.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "common/Clock.h"

namespace im::fcgi {

// One per worker (Services). Never marks a node dead itself: it tells PollHandler when the
// failure proves the node gone, which is the only case a unix-socket failure may cost a node.
class NodeSockets {
 public:
  // After a hand-over over a node's socket failed while the node still listens there, that
  // node's polls go over TCP this long (then the socket is tried again: a fixed config heals).
  static constexpr int64_t kTcpAfterFailureMs = 30000;

  NodeSockets(std::string dir, const common::Clock& clock);

  // The socket path nginx should use for `node`, or "" for TCP: no directory configured, no
  // socket file there (the node runs on another host), or a recent failure through it.
  std::string socketFor(const std::string& node) const;

  // nginx could not hand a poll to `node` over its socket (IM_FAILED_SOCKET). True when that
  // proves the node dead: its socket file is there but nothing listens on it (its process died,
  // SIGKILL or a crash). Anything else (nginx lacks permission, sees another /tmp, the backlog
  // was full, the file is gone) proves nothing: the node is sent over TCP for
  // kTcpAfterFailureMs, where a dead node fails and is marked dead as usual, and a warning says so.
  bool provesDead(const std::string& node);

 private:
  const std::string dir_;
  const common::Clock& clock_;
  std::unordered_map<std::string, int64_t> tcpUntilMs_;  // node -> steady ms
};

}  // namespace im::fcgi
