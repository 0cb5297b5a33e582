// SPDX-License-Identifier: MIT
// UnixListener.cc - stale-file check, bind, chmod, listen; unlink at close.
#include "pushd/UnixListener.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/Log.h"
#include "common/PushdSocket.h"

namespace im::pushd {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error("unix socket " + path + ": " + what);
}

// A dead node's socket file goes; anything else at the path stops the start.
void removeStale(const std::string& path) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) return;  // nothing there
  if (!S_ISSOCK(st.st_mode)) fail(path, "exists and is not a socket");
  switch (common::probeUnixSocket(path)) {
    case common::UnixProbe::Refused:
      IM_INFO("server", "removing the stale socket " + path + " (nothing listens on it)");
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail(path, std::string("unlink: ") + std::strerror(errno));
      return;
    case common::UnixProbe::Missing:
      return;
    case common::UnixProbe::Listening:
      fail(path, "another process listens on it (a node with this id already runs here)");
    case common::UnixProbe::Unknown:
      fail(path, "cannot tell whether it is in use (no permission to connect?)");
  }
}

}  // namespace

UnixListener::UnixListener(std::string path, int backlog) : path_(std::move(path)) {
  sockaddr_un addr{};
  if (path_.empty() || path_.size() >= sizeof addr.sun_path) fail(path_, "empty or too long for a socket path");
  removeStale(path_);
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path_.data(), path_.size());
  fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_.valid()) fail(path_, std::string("socket: ") + std::strerror(errno));
  if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    fail(path_, std::string("bind: ") + std::strerror(errno));
  }
  // From here the file is ours: a failure below must not leave it for the next start to judge.
  if (::chmod(path_.c_str(), 0666) != 0 || ::listen(fd_.get(), backlog) != 0) {
    const std::string why = std::strerror(errno);
    close();
    fail(path_, why);
  }
}

UnixListener::~UnixListener() { close(); }

void UnixListener::close() {
  if (!fd_.valid()) return;
  ::unlink(path_.c_str());
  fd_.reset();
}

}  // namespace im::pushd
