// SPDX-License-Identifier: MIT
// Request.cc - builds a Request from FastCGI params and stdin, with the body cap.
#include "fcgi/Request.h"

#include <cctype>
#include <charconv>

#include "common/ApiError.h"
#include "fcgi/QueryString.h"

namespace im::fcgi {
namespace {

std::string param(FCGX_Request& raw, const char* name) {
  const char* v = FCGX_GetParam(name, raw.envp);
  return v ? std::string(v) : std::string();
}

[[noreturn]] void tooLarge() {
  throw common::ApiError(common::ErrorCode::TooLarge, "The request body is larger than 64 KiB.");
}

// Reads CONTENT_LENGTH bytes (or to EOF when it is absent), never more than the cap.
std::string readBody(FCGX_Request& raw) {
  const std::string lengthText = param(raw, "CONTENT_LENGTH");
  size_t length = Request::kMaxBodyBytes + 1;  // unknown: read to EOF, detect overflow
  if (!lengthText.empty()) {
    const auto [end, ec] = std::from_chars(lengthText.data(), lengthText.data() + lengthText.size(), length);
    if (ec != std::errc() || end != lengthText.data() + lengthText.size()) {
      throw common::ApiError(common::ErrorCode::BadRequest, "Bad Content-Length.");
    }
    if (length > Request::kMaxBodyBytes) tooLarge();
  }
  std::string body(length, '\0');
  size_t got = 0;
  while (got < length) {
    const int n = FCGX_GetStr(body.data() + got, static_cast<int>(length - got), raw.in);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  body.resize(got);
  if (body.size() > Request::kMaxBodyBytes) tooLarge();
  return body;
}

}  // namespace

Request::Request(std::string method, std::string path, std::string query, std::string body)
    : method_(std::move(method)), path_(std::move(path)), query_(parseQueryString(query)), body_(std::move(body)) {}

Request Request::fromFcgi(FCGX_Request& raw) {
  std::string path = param(raw, "DOCUMENT_URI");
  if (path.empty()) {  // not nginx: fall back to REQUEST_URI without its query
    path = param(raw, "REQUEST_URI");
    path = path.substr(0, path.find('?'));
  }
  Request r(param(raw, "REQUEST_METHOD"), std::move(path), param(raw, "QUERY_STRING"));
  r.token_ = parseBearer(param(raw, "HTTP_AUTHORIZATION"));
  r.remoteAddr_ = param(raw, "REMOTE_ADDR");
  r.failedNode_ = param(raw, "IM_FAILED_NODE");
  r.failedOverSocket_ = !param(raw, "IM_FAILED_SOCKET").empty();
  r.origin_ = param(raw, "HTTP_ORIGIN");
  r.host_ = param(raw, "HTTP_HOST");
  // The methods whose requests carry a body (PATCH: group and member-role changes).
  if (r.method_ == "POST" || r.method_ == "PUT" || r.method_ == "PATCH") r.body_ = readBody(raw);
  return r;
}

std::string parseBearer(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return std::string(token);
}

}  // namespace im::fcgi
