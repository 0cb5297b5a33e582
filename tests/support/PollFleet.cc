// SPDX-License-Identifier: MIT
// PollFleet.cc - blocking connect + write per request, then non-blocking reads under poll(2) until
// the server closes each connection (Connection: close), so an answer's time is its last byte.
#include "tests/support/PollFleet.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace im::test {
namespace {

using Ms = std::chrono::milliseconds;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

bool writeAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool dechunk(const std::string& in, std::string& out) {
  size_t pos = 0;
  while (true) {
    const size_t eol = in.find("\r\n", pos);
    if (eol == std::string::npos) return false;
    char* end = nullptr;
    const unsigned long size = std::strtoul(in.c_str() + pos, &end, 16);
    if (end == in.c_str() + pos) return false;
    pos = eol + 2;
    if (size == 0) return true;
    if (in.size() < pos + size) return false;
    out.append(in, pos, size);
    pos += size + 2;  // the chunk's CRLF
  }
}

}  // namespace

bool parseHttpResponse(const std::string& raw, int& status, std::string& body, std::string& error) {
  const size_t headEnd = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || headEnd == std::string::npos) {
    error = "not an HTTP response: '" + raw.substr(0, 200) + "'";
    return false;
  }
  status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  const std::string head = lower(raw.substr(0, headEnd));
  const std::string rest = raw.substr(headEnd + 4);
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
    if (!dechunk(rest, body)) {
      error = "truncated chunked body";
      return false;
    }
    return true;
  }
  if (const size_t cl = head.find("\r\ncontent-length:"); cl != std::string::npos) {
    const size_t length = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
    if (rest.size() < length) {
      error = "body shorter than its Content-Length";
      return false;
    }
    body = rest.substr(0, length);
    return true;
  }
  body = rest;
  return true;
}

PollFleet::~PollFleet() {
  for (auto& c : conns_) {
    if (c.fd >= 0) ::close(c.fd);
  }
}

size_t PollFleet::add(const std::string& target, const std::string& token) {
  conns_.emplace_back();
  Conn& c = conns_.back();
  c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c.fd < 0) {
    finish(c, std::string("socket: ") + std::strerror(errno));
    return conns_.size() - 1;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  ::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
  if (::connect(c.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    finish(c, std::string("connect: ") + std::strerror(errno));
    return conns_.size() - 1;
  }
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: " + host_ + "\r\nConnection: close\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  request += "\r\n";
  if (!writeAll(c.fd, request)) {
    finish(c, std::string("write: ") + std::strerror(errno));
    return conns_.size() - 1;
  }
  ::fcntl(c.fd, F_SETFL, ::fcntl(c.fd, F_GETFL) | O_NONBLOCK);
  return conns_.size() - 1;
}

void PollFleet::finish(Conn& c, const std::string& error) {
  c.answer.at = std::chrono::steady_clock::now();
  c.answer.done = true;
  c.answer.error = error;
  if (error.empty() && !parseHttpResponse(c.raw, c.answer.status, c.answer.body, c.answer.error)) {
    c.answer.status = 0;
  }
  if (error.empty()) c.answer.head = c.raw.substr(0, c.raw.find("\r\n\r\n"));
  if (c.fd >= 0) ::close(c.fd);
  c.fd = -1;
  ++done_;
}

size_t PollFleet::pump(std::chrono::milliseconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  std::vector<pollfd> fds;
  std::vector<size_t> index;
  char buffer[16384];
  do {
    fds.clear();
    index.clear();
    for (size_t i = 0; i < conns_.size(); ++i) {
      if (conns_[i].fd < 0) continue;
      fds.push_back(pollfd{conns_[i].fd, POLLIN, 0});
      index.push_back(i);
    }
    if (fds.empty()) break;
    const auto left = std::chrono::duration_cast<Ms>(deadline - std::chrono::steady_clock::now());
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, left.count())));
    if (ready < 0 && errno != EINTR) break;
    for (size_t k = 0; k < fds.size() && ready > 0; ++k) {
      if (fds[k].revents == 0) continue;
      Conn& c = conns_[index[k]];
      while (true) {
        const ssize_t n = ::read(c.fd, buffer, sizeof buffer);
        if (n > 0) {
          c.raw.append(buffer, static_cast<size_t>(n));
          continue;
        }
        if (n == 0) finish(c, "");
        else if (errno != EAGAIN && errno != EINTR) finish(c, std::string("read: ") + std::strerror(errno));
        break;
      }
    }
  } while (std::chrono::steady_clock::now() < deadline);
  return done_;
}

bool PollFleet::waitAll(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (done_ < conns_.size()) {
    const auto left = std::chrono::duration_cast<Ms>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pump(std::min(left, std::chrono::milliseconds(100)));
  }
  return true;
}

}  // namespace im::test
