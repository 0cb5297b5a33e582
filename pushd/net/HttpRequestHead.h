// SPDX-License-Identifier: MIT
// HttpRequestHead.h - the request line and headers nginx proxies to pushd, parsed without I/O.
// pushd needs only the method, path and query (its parameters are the caller's business:
// common/HoldRequest); headers are checked for shape and skipped.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace im::net {

class HttpRequestHead {
 public:
  enum class Scan { Incomplete, Complete, TooLarge };

  // Looks for the blank line ending a head in what was read so far. On Complete, `headBytes`
  // is the length of the head including its blank line. Heads longer than `maxBytes` are TooLarge.
  static Scan scan(std::string_view buffer, size_t maxBytes, size_t& headBytes);
  // Parses a complete head ("GET /hold?uid=1 HTTP/1.0\r\nHost: x\r\n\r\n"); nullopt when malformed.
  static std::optional<HttpRequestHead> parse(std::string_view head);

  const std::string& method() const { return method_; }
  const std::string& path() const { return path_; }
  // The raw query string, without its '?'.
  const std::string& query() const { return query_; }

 private:
  std::string method_;
  std::string path_;
  std::string query_;
};

}  // namespace im::net
