// SPDX-License-Identifier: MIT
// QueryString.cc - percent-decoding and splitting of the query string.
#include "fcgi/QueryString.h"

#include "common/ApiError.h"

namespace im::fcgi {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
      continue;
    }
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    const int hi = i + 1 < text.size() ? hexValue(text[i + 1]) : -1;
    const int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) throw common::ApiError(common::ErrorCode::BadRequest, "The query string has a bad %-escape.");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

common::QueryParams parseQueryString(std::string_view query) {
  common::QueryParams params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      std::string name = percentDecode(pair.substr(0, eq));
      std::string value = eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1));
      params.emplace(std::move(name), std::move(value));  // emplace keeps the first
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return params;
}

}  // namespace im::fcgi
