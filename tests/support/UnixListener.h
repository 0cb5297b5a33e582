// SPDX-License-Identifier: MIT
// UnixListener.h - a listening unix socket at a fresh path under the test's temp dir, unlinked
// again when it goes: what the fcgi master's socket is, for the tests of fcgi/process.
#pragma once

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "common/UniqueFd.h"

namespace im::test {

class UnixListener {
 public:
  // `name` is unique per test; the pid keeps parallel runs apart.
  UnixListener(const std::string& name, int backlog)
      : path_(std::string(::testing::TempDir()) + name + "-" + std::to_string(::getpid()) + ".sock"),
        fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
    ::unlink(path_.c_str());
    if (path_.size() >= sizeof address_.sun_path) throw std::runtime_error("socket path too long: " + path_);
    address_.sun_family = AF_UNIX;
    std::memcpy(address_.sun_path, path_.c_str(), path_.size() + 1);
    if (::bind(fd_.get(), addr(), sizeof address_) != 0 || ::listen(fd_.get(), backlog) != 0) {
      throw std::runtime_error("cannot listen on " + path_);
    }
  }
  ~UnixListener() { ::unlink(path_.c_str()); }
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  // A new client connection to it (not accepted: it waits in the queue).
  common::UniqueFd connect() const {
    common::UniqueFd client(::socket(AF_UNIX, SOCK_STREAM, 0));
    if (::connect(client.get(), addr(), sizeof address_) != 0) throw std::runtime_error("cannot connect to " + path_);
    return client;
  }

 private:
  const sockaddr* addr() const { return reinterpret_cast<const sockaddr*>(&address_); }

  const std::string path_;
  sockaddr_un address_{};
  common::UniqueFd fd_;
};

}  // namespace im::test
