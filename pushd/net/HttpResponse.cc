// SPDX-License-Identifier: MIT
// HttpResponse.cc - status line, fixed headers, body.
#include "pushd/net/HttpResponse.h"

#include <charconv>
#include <cstring>

namespace im::net {
namespace {

std::string_view reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Content Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

class HeadWriter {
 public:
  explicit HeadWriter(char* out) : start_(out), at_(out) {}
  HeadWriter& text(std::string_view s) {
    std::memcpy(at_, s.data(), s.size());
    at_ += s.size();
    return *this;
  }
  HeadWriter& number(size_t n) {
    at_ = std::to_chars(at_, at_ + 20, n).ptr;
    return *this;
  }
  size_t size() const { return static_cast<size_t>(at_ - start_); }

 private:
  char* const start_;
  char* at_;
};

// Writes the head into `out` (kMaxHeadBytes long) and returns its length: at most 140 bytes,
// with the longest reason (19) and a 20-digit Content-Length.
size_t writeHead(char* out, int status, size_t bodyBytes) {
  const int code = status >= 100 && status <= 999 ? status : 500;
  return HeadWriter(out)
      .text("HTTP/1.1 ")
      .number(static_cast<size_t>(code))
      .text(" ")
      .text(reason(code))
      .text("\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ")
      .number(bodyBytes)
      .text("\r\nConnection: close\r\n\r\n")
      .size();
}

}  // namespace

std::string HttpResponse::render(int status, std::string_view jsonBody) {
  char head[kMaxHeadBytes];
  const size_t headBytes = writeHead(head, status, jsonBody.size());
  std::string out;
  out.reserve(headBytes + jsonBody.size());
  out.append(head, headBytes);
  out += jsonBody;
  return out;
}

std::string HttpResponse::wrap(int status, std::string jsonBody) {
  char head[kMaxHeadBytes];
  jsonBody.insert(0, head, writeHead(head, status, jsonBody.size()));
  return jsonBody;
}

std::string HttpResponse::error(common::ErrorCode code, std::string_view message) {
  return render(common::toHttpStatus(code), common::renderError(code, message));
}

}  // namespace im::net
