// SPDX-License-Identifier: MIT
// HttpResponse.cc - status line, fixed headers, body.
#include "pushd/HttpResponse.h"

namespace im::pushd {
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

}  // namespace

std::string HttpResponse::render(int status, std::string_view jsonBody) {
  std::string out;
  out.reserve(160 + jsonBody.size());
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reason(status);
  out += "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ";
  out += std::to_string(jsonBody.size());
  out += "\r\nConnection: close\r\n\r\n";
  out += jsonBody;
  return out;
}

std::string HttpResponse::error(common::ErrorCode code, std::string_view message) {
  return render(common::toHttpStatus(code), common::renderError(code, message));
}

}  // namespace im::pushd
