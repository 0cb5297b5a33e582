// SPDX-License-Identifier: MIT
// Response.cc - builds and writes the CGI-style response head and body.
#include "fcgi/Response.h"

namespace im::fcgi {

Response Response::json(int status, std::string body) {
  Response r;
  r.status_ = status;
  r.body_ = std::move(body);
  r.headers_.emplace_back("Content-Type", kJsonType);
  return r;
}

Response Response::typed(int status, std::string contentType, std::string body) {
  Response r;
  r.status_ = status;
  r.body_ = std::move(body);
  r.headers_.emplace_back("Content-Type", std::move(contentType));
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status_ = status;
  return r;
}

Response& Response::header(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string Response::headerValue(const std::string& name) const {
  for (const auto& [n, v] : headers_) {
    if (n == name) return v;
  }
  return {};
}

std::string Response::serialize() const {
  std::string out = "Status: " + std::to_string(status_) + " " + reasonPhrase(status_) + "\r\n";
  for (const auto& [name, value] : headers_) out += name + ": " + value + "\r\n";
  if (status_ != 204) out += "Content-Length: " + std::to_string(body_.size()) + "\r\n";
  out += "\r\n";
  out += body_;
  return out;
}

void Response::write(FCGX_Stream* out) const {
  const std::string text = serialize();
  // A failed write means the client (nginx) went away: nothing useful to do.
  FCGX_PutStr(text.data(), static_cast<int>(text.size()), out);
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

}  // namespace im::fcgi
