// SPDX-License-Identifier: MIT
// SearchClient.h - GET /im/search as test calls (shared by SearchTest and SearchPlanTest): the
// request with q percent-encoded, and an answer's msg_ids / bodies in order.
#pragma once

#include <Poco/JSON/Array.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/ImClient.h"

namespace im::test {

// Every byte but the unreserved ones as %XX: CJK, emoji, '%', '&', '+' and spaces reach fcgi intact.
inline std::string urlEncode(const std::string& text) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '~';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// GET /im/search?q=<q><extra>; extra is appended as is ("&with=2&limit=3").
inline HttpResponse search(const HttpClient& http, const TestUser& who, const std::string& q,
                           const std::string& extra = "") {
  return http.get("/im/search?q=" + urlEncode(q) + extra, who.token);
}

struct Found {
  std::vector<int64_t> ids;
  std::vector<std::string> bodies;
  bool more = false;
};

// The answer of a 200 search; throws (failing the test with the body) on anything else.
inline Found found(const HttpResponse& r) {
  if (r.status != 200) throw std::runtime_error("search: " + std::to_string(r.status) + " " + r.body);
  const auto answer = parseObject(r.body);
  const auto messages = answer->getArray("messages");
  Found out;
  for (size_t i = 0; i < messages->size(); ++i) {
    const auto m = messages->getObject(static_cast<unsigned>(i));
    out.ids.push_back(m->getValue<int64_t>("msg_id"));
    out.bodies.push_back(m->getValue<std::string>("body"));
  }
  out.more = answer->getValue<bool>("more");
  return out;
}

}  // namespace im::test
