// SPDX-License-Identifier: MIT
// HttpReader.cc - parses the head once the blank line arrives, then waits for the framed body.
#include "bench/HttpReader.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace im::bench {
namespace {

// Case-insensitive header lookup inside the head [0, headEnd); returns the value start or npos.
size_t findHeader(const std::string& head, const char* name) {
  const size_t len = std::strlen(name);
  for (size_t pos = head.find("\r\n"); pos != std::string::npos && pos + 2 + len < head.size();
       pos = head.find("\r\n", pos + 2)) {
    if (strncasecmp(head.c_str() + pos + 2, name, len) == 0 && head[pos + 2 + len] == ':') {
      size_t v = pos + 3 + len;
      while (v < head.size() && head[v] == ' ') ++v;
      return v;
    }
  }
  return std::string::npos;
}

// Chunked body starting at `pos`; returns the index past the last chunk, or npos if incomplete.
size_t dechunk(const std::string& in, size_t pos, std::string& out) {
  while (true) {
    const size_t eol = in.find("\r\n", pos);
    if (eol == std::string::npos) return std::string::npos;
    const unsigned long size = std::strtoul(in.c_str() + pos, nullptr, 16);
    pos = eol + 2;
    if (size == 0) {
      const size_t end = in.find("\r\n", pos);  // no trailers from our servers
      return end == std::string::npos ? std::string::npos : end + 2;
    }
    if (in.size() < pos + size + 2) return std::string::npos;
    out.append(in, pos, size);
    pos += size + 2;
  }
}

}  // namespace

bool HttpReader::feed(const char* data, size_t n) {
  buffer_.append(data, n);
  return complete_ || tryParse();
}

bool HttpReader::next() {
  buffer_.erase(0, consumed_);
  consumed_ = 0;
  complete_ = false;
  return !buffer_.empty() && tryParse();
}

bool HttpReader::finishAtEof() {
  const size_t headEnd = buffer_.find("\r\n\r\n");
  if (complete_ || headEnd == std::string::npos) return complete_;
  status_ = std::atoi(buffer_.c_str() + 9);
  body_ = buffer_.substr(headEnd + 4);
  consumed_ = buffer_.size();
  keepAlive_ = false;
  complete_ = true;
  return true;
}

std::string HttpReader::header(const char* name) const {
  const size_t v = findHeader(head_, name);
  if (v == std::string::npos) return "";
  return head_.substr(v, head_.find("\r\n", v) - v);
}

bool HttpReader::tryParse() {
  const size_t headEnd = buffer_.find("\r\n\r\n");
  if (headEnd == std::string::npos) return false;
  if (buffer_.compare(0, 7, "HTTP/1.") != 0) {
    bad_ = true;
    return false;
  }
  head_ = buffer_.substr(0, headEnd + 2);
  const std::string& head = head_;
  status_ = std::atoi(head.c_str() + 9);
  const size_t conn = findHeader(head, "Connection");
  keepAlive_ = !(conn != std::string::npos && strncasecmp(head.c_str() + conn, "close", 5) == 0) &&
               head.compare(0, 8, "HTTP/1.0") != 0;
  const size_t bodyStart = headEnd + 4;
  body_.clear();
  if (const size_t te = findHeader(head, "Transfer-Encoding");
      te != std::string::npos && strncasecmp(head.c_str() + te, "chunked", 7) == 0) {
    const size_t end = dechunk(buffer_, bodyStart, body_);
    if (end == std::string::npos) return false;
    consumed_ = end;
  } else if (const size_t cl = findHeader(head, "Content-Length"); cl != std::string::npos) {
    const size_t length = std::strtoul(head.c_str() + cl, nullptr, 10);
    if (buffer_.size() < bodyStart + length) return false;
    body_ = buffer_.substr(bodyStart, length);
    consumed_ = bodyStart + length;
  } else if (status_ == 204 || status_ == 304) {
    consumed_ = bodyStart;
  } else {
    return false;  // body runs to EOF: finishAtEof() completes it
  }
  complete_ = true;
  return true;
}

}  // namespace im::bench
