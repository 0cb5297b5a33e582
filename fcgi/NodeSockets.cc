// SPDX-License-Identifier: MIT
// NodeSockets.cc - a stat() per hand-over, a connect() probe per failed one.
#include "fcgi/NodeSockets.h"

#include <sys/stat.h>

#include "common/Log.h"
#include "common/PushdSocket.h"

namespace im::fcgi {

NodeSockets::NodeSockets(std::string dir, const common::Clock& clock) : dir_(std::move(dir)), clock_(clock) {}

std::string NodeSockets::socketFor(const std::string& node) const {
  if (dir_.empty()) return {};
  const auto failed = tcpUntilMs_.find(node);
  if (failed != tcpUntilMs_.end() && clock_.steadyMs() < failed->second) return {};
  std::string path = common::pushdSocketPath(dir_, node);
  struct stat st{};
  // A socket file named for the node: a node of this host made it (ids are unique host:port).
  if (::stat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) return {};
  return path;
}

bool NodeSockets::provesDead(const std::string& node) {
  const std::string path = common::pushdSocketPath(dir_, node);
  const common::UnixProbe probe = path.empty() ? common::UnixProbe::Unknown : common::probeUnixSocket(path);
  if (probe == common::UnixProbe::Refused) return true;
  tcpUntilMs_[node] = clock_.steadyMs() + kTcpAfterFailureMs;
  IM_WARN("poll", "nginx could not hand a poll to " + node + " over " + (path.empty() ? "its socket" : path) +
                      (probe == common::UnixProbe::Listening ? ", where the node listens" : "") +
                      "; its polls go over TCP for " +
                      std::to_string(kTcpAfterFailureMs / 1000) + " s. Check that nginx's workers can reach the socket"
                      " (permissions, a private /tmp); docs/internals.md \"The poll hand-over\"");
  return false;
}

}  // namespace im::fcgi
