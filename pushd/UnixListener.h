// SPDX-License-Identifier: MIT
// UnixListener.h - a node's second listening socket, the unix-domain one nginx on the same host
// hands polls to (pushd.socket_dir; docs/internals.md "The poll hand-over"): bound at
// construction, over a socket file its dead predecessor left, and unlinked when closed.
#pragma once

#include <string>

#include "common/UniqueFd.h"

namespace im::pushd {

class UnixListener {
 public:
  // Binds `path` (mode 0666: nginx's workers run as another user, as for fcgi.sock) and listens,
  // non-blocking. A socket file nobody listens on is a dead node's and is replaced; a live
  // listener there (another node with this id) or a file that is not a socket is refused:
  // throws std::runtime_error naming the path, so the node fails at startup.
  UnixListener(std::string path, int backlog);
  ~UnixListener();
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  // Unlinks the file, then closes: nginx's next connect fails at once (ENOENT) instead of
  // queueing on a listener nobody accepts from. Idempotent.
  void close();

 private:
  std::string path_;
  common::UniqueFd fd_;
};

}  // namespace im::pushd
