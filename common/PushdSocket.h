// SPDX-License-Identifier: MIT
// PushdSocket.h - where a push node's unix-domain listener lives (pushd.socket_dir): one name per
// node id, computed alike by pushd (which listens there) and fcgi (which hands polls to it), and
// the probe both use to tell a live listener from a socket file its process left behind.
#pragma once

#include <cstddef>
#include <string>

namespace im::common {

// The longest pushd.socket_dir: sun_path holds 107 bytes and a NUL, and the longest node
// socket name is "/pushd-255.255.255.255-65535.sock" (33 bytes).
inline constexpr size_t kMaxPushdSocketDirBytes = 74;

// "<dir>/pushd-<host>-<port>.sock" for node "<host>:<port>"; "" when dir is empty (no local
// sockets). The ':' of the node id becomes '-': nginx's `proxy_pass http://unix:PATH:URI` ends
// PATH at the first colon.
std::string pushdSocketPath(const std::string& dir, const std::string& nodeId);

// Throws std::runtime_error naming pushd.socket_dir unless `dir` is empty or an absolute path of
// at most kMaxPushdSocketDirBytes, made of [A-Za-z0-9._-] segments that are not empty and do not
// begin with '.': the path travels in an X-Accel-Redirect URI (nginx/im.locations.conf), where it
// must need no percent-encoding and no normalisation.
void checkPushdSocketDir(const std::string& dir);

// What a connect() to a unix socket path finds. Refused is the one proof that no process
// listens there any more (the file outlived its process: SIGKILL, a crash); a full backlog
// (EAGAIN) is a live listener.
enum class UnixProbe { Listening, Refused, Missing, Unknown };

// Connects without blocking and closes at once (the listener sees a connection that sends
// nothing and closes). Unknown covers everything else (permissions, a path too long).
UnixProbe probeUnixSocket(const std::string& path);

}  // namespace im::common
