// SPDX-License-Identifier: MIT
// Response.h - status, extra headers and body of one answer, and its FastCGI serialisation.
// The X-Accel-Redirect hand-off to pushd is a 200 with that header and no body.
#pragma once

#include <fcgiapp.h>

#include <string>
#include <utility>
#include <vector>

namespace im::fcgi {

class Response {
 public:
  static constexpr const char* kJsonType = "application/json; charset=utf-8";

  Response() = default;
  // A JSON answer (body already rendered).
  static Response json(int status, std::string body);
  // An answer without a body (204, or a hand-off carried by a header).
  static Response empty(int status);
  // Any other body (the Prometheus text of /im/metrics).
  static Response typed(int status, std::string contentType, std::string body);

  Response& header(std::string name, std::string value);

  int status() const { return status_; }
  const std::string& body() const { return body_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
  // The value of header `name`, "" when not set.
  std::string headerValue(const std::string& name) const;

  // "Status: 200 OK\r\nHeader: v\r\n\r\nbody" (CGI response format).
  std::string serialize() const;
  void write(FCGX_Stream* out) const;

 private:
  int status_ = 200;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string body_;
};

const char* reasonPhrase(int status);

}  // namespace im::fcgi
