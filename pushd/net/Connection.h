// SPDX-License-Identifier: MIT
// Connection.h - one accepted socket from nginx: read the request head, wait while its poll is
// held, write the one answer, close. Owned by PollServer; holds no pointer to anything else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/UniqueFd.h"

namespace im::net {

using ConnectionId = uint64_t;  // the server's id of the socket; never reused

// Not thread safe: PollServer uses it on the loop thread only.
class Connection {
 public:
  enum class State { Reading, Held, Writing };
  enum class Io { Again, Eof, Error, Done };

  Connection(common::UniqueFd fd, ConnectionId id, int64_t openedMs);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const { return fd_.get(); }
  ConnectionId id() const { return id_; }
  int64_t openedMs() const { return openedMs_; }
  State state() const { return state_; }
  // What holds the connection open (the server's own id, e.g. a held poll); 0 = none.
  uint64_t tag() const { return tag_; }
  const std::string& input() const { return in_; }

  // Reads what the socket has into input(), stopping at `cap` bytes. Again: more may come.
  Io readHead(size_t cap);
  // While held, nginx sends nothing more; reads and drops bytes to notice the close (Eof).
  Io drain();
  // Enters Held; the head buffer is released since a held poll must stay small.
  void hold(uint64_t tag);
  // Enters Writing with `bytes` as the whole output.
  void startWrite(std::string bytes);
  // Writes what the socket takes: Done when all is written, Again when it must wait. The bytes
  // are corked (MSG_MORE): after Done the caller closes at once, which sends them with the FIN.
  Io flush();

 private:
  common::UniqueFd fd_;
  const ConnectionId id_;
  const int64_t openedMs_;
  State state_ = State::Reading;
  uint64_t tag_ = 0;
  size_t written_ = 0;
  std::string in_;
  std::string out_;
};

}  // namespace im::net
