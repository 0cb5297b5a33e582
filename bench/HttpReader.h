// SPDX-License-Identifier: MIT
// HttpReader.h - incremental HTTP/1.1 response framing for keep-alive connections: Content-Length
// or chunked bodies. Only what nginx, fcgi, pushd and Nchan answer; not a general client.
#pragma once

#include <string>

namespace im::bench {

class HttpReader {
 public:
  // Appends bytes; returns true when a whole response is buffered (then status()/body() are valid).
  bool feed(const char* data, size_t n);
  // Drops the finished response, keeping any pipelined bytes after it; returns whether those
  // bytes already hold another whole response.
  bool next();
  void reset() { buffer_.clear(); complete_ = false; }

  int status() const { return status_; }
  const std::string& body() const { return body_; }
  bool keepAlive() const { return keepAlive_; }
  bool bad() const { return bad_; }
  // A header of the finished response ("" when absent); Nchan's Etag / Last-Modified.
  std::string header(const char* name) const;
  // Finishes a response framed by connection close (no length); true if one was pending.
  bool finishAtEof();

 private:
  bool tryParse();

  std::string buffer_;
  std::string head_;
  std::string body_;
  size_t consumed_ = 0;
  int status_ = 0;
  bool complete_ = false;
  bool keepAlive_ = true;
  bool bad_ = false;
};

}  // namespace im::bench
