// SPDX-License-Identifier: MIT
// PollFleet.h - many HTTP requests (long polls) in flight at once on one thread: one socket each,
// driven by poll(2); records each answer and the moment its last byte arrived.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace im::test {

class PollFleet {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  struct Answer {
    bool done = false;   // the server closed the connection after a complete answer, or it failed
    int status = 0;      // 0 when no HTTP status line arrived
    std::string body;    // de-chunked
    std::string head;    // status line and headers, as received
    std::string error;   // non-empty when the exchange failed (connect, write, read, parse)
    TimePoint at{};      // when the answer was complete
  };

  PollFleet(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}
  ~PollFleet();
  PollFleet(const PollFleet&) = delete;
  PollFleet& operator=(const PollFleet&) = delete;

  // Connects and writes `GET target` (HTTP/1.1, Connection: close, Bearer token when non-empty);
  // returns the request's index. A failure is recorded as a done answer with an error.
  size_t add(const std::string& target, const std::string& token);

  // Reads whatever arrives for up to `budget`; returns how many requests are done.
  size_t pump(std::chrono::milliseconds budget);
  // Pumps until every request is done; false if `timeout` passes first.
  bool waitAll(std::chrono::milliseconds timeout);

  size_t size() const { return conns_.size(); }
  size_t doneCount() const { return done_; }
  const Answer& answer(size_t i) const { return conns_.at(i).answer; }

 private:
  struct Conn {
    int fd = -1;
    std::string raw;
    Answer answer;
  };

  void finish(Conn& c, const std::string& error);

  std::string host_;
  uint16_t port_;
  std::vector<Conn> conns_;
  size_t done_ = 0;
};

// Parses a complete HTTP/1.x response (status line, headers, body with Content-Length, chunked
// or up to EOF). Returns false with `error` set when the text is not one.
bool parseHttpResponse(const std::string& raw, int& status, std::string& body, std::string& error);

}  // namespace im::test
