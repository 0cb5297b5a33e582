// SPDX-License-Identifier: MIT
// HttpRequestHead.cc - request line and header shape.
#include "pushd/net/HttpRequestHead.h"

#include <cctype>

namespace im::net {
namespace {

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Splits off the next line (without its CR LF or LF) from `rest`.
std::string_view nextLine(std::string_view& rest) {
  const auto nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool validHeader(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (char c : line.substr(0, colon)) {
    if (c == ' ' || c == '\t' || std::iscntrl(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

HttpRequestHead::Scan HttpRequestHead::scan(std::string_view buffer, size_t maxBytes, size_t& headBytes) {
  // Accept bare LF line ends as well as CR LF (RFC 9112 section 2.2 allows it).
  size_t end = std::string_view::npos;
  const auto crlf = buffer.find("\r\n\r\n");
  const auto lf = buffer.find("\n\n");
  if (crlf != std::string_view::npos) end = crlf + 4;
  if (lf != std::string_view::npos && (end == std::string_view::npos || lf + 2 < end)) end = lf + 2;
  if (end != std::string_view::npos && end <= maxBytes) {
    headBytes = end;
    return Scan::Complete;
  }
  return buffer.size() >= maxBytes ? Scan::TooLarge : Scan::Incomplete;
}

std::optional<HttpRequestHead> HttpRequestHead::parse(std::string_view head) {
  std::string_view rest = head;
  const std::string_view requestLine = nextLine(rest);
  const auto sp1 = requestLine.find(' ');
  const auto sp2 = requestLine.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return std::nullopt;
  const std::string_view method = requestLine.substr(0, sp1);
  const std::string_view target = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = requestLine.substr(sp2 + 1);
  if (!isToken(method) || target.empty() || target.front() != '/' || target.find(' ') != std::string_view::npos ||
      (version != "HTTP/1.0" && version != "HTTP/1.1")) {
    return std::nullopt;
  }
  for (std::string_view line = nextLine(rest); !line.empty(); line = nextLine(rest)) {
    if (!validHeader(line)) return std::nullopt;
  }
  HttpRequestHead h;
  h.method_ = std::string(method);
  const auto q = target.find('?');
  h.path_ = std::string(target.substr(0, q));
  if (q != std::string_view::npos) h.query_ = std::string(target.substr(q + 1));
  return h;
}

}  // namespace im::net
