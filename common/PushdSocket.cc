// SPDX-License-Identifier: MIT
// PushdSocket.cc - the node socket's name, the checks on its directory, and the connect() probe.
#include "common/PushdSocket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "common/UniqueFd.h"

namespace im::common {

std::string pushdSocketPath(const std::string& dir, const std::string& nodeId) {
  if (dir.empty()) return {};
  std::string name = nodeId;
  std::replace(name.begin(), name.end(), ':', '-');
  return dir + "/pushd-" + name + ".sock";
}

void checkPushdSocketDir(const std::string& dir) {
  if (dir.empty()) return;
  const auto fail = [&dir](const std::string& why) {
    throw std::runtime_error("config: pushd.socket_dir " + why + ", got '" + dir + "'");
  };
  if (dir.size() > kMaxPushdSocketDirBytes) fail("is at most " + std::to_string(kMaxPushdSocketDirBytes) + " bytes");
  if (dir.front() != '/') fail("is an absolute path");
  const std::string_view allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/";
  if (dir.find_first_not_of(allowed) != std::string::npos) fail("takes only letters, digits, '.', '_', '-' and '/'");
  for (size_t start = 1; start <= dir.size(); start = dir.find('/', start) + 1) {
    const size_t end = std::min(dir.find('/', start), dir.size());
    if (end == start) fail("has no empty segment (no '//', no trailing '/')");
    if (dir[start] == '.') fail("has no segment beginning with '.'");
    if (end == dir.size()) break;
  }
}

UnixProbe probeUnixSocket(const std::string& path) {
  sockaddr_un addr{};
  if (path.empty() || path.size() >= sizeof addr.sun_path) return UnixProbe::Unknown;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  const UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return UnixProbe::Unknown;
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) return UnixProbe::Listening;
  switch (errno) {
    case EAGAIN: return UnixProbe::Listening;  // its backlog is full
    case ECONNREFUSED: {  // also what a regular file at the path answers: only a socket file counts
      struct stat st{};
      return ::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) ? UnixProbe::Refused : UnixProbe::Unknown;
    }
    case ENOENT: return UnixProbe::Missing;
    default: return UnixProbe::Unknown;
  }
}

}  // namespace im::common
