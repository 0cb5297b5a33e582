// SPDX-License-Identifier: MIT
// HoldRequest.cc - query parameters to a validated HoldRequest.
#include "pushd/HoldRequest.h"

#include <cctype>
#include <charconv>

namespace im::pushd {
namespace {

bool parseNumber(const std::string& text, uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// A required or optional unsigned parameter within [min, max]; false (with `error`) when bad.
bool numberParam(const net::HttpRequestHead& head, const char* name, bool required, uint64_t min, uint64_t max,
                 uint64_t& out, std::string& error) {
  const auto text = head.param(name);
  if (!text) {
    if (!required) return true;
    error = std::string("Missing query parameter '") + name + "'.";
    return false;
  }
  uint64_t value = 0;
  if (!parseNumber(*text, value) || value < min || value > max) {
    error = std::string("Query parameter '") + name + "' must be an integer from " + std::to_string(min) + " to " +
            std::to_string(max) + ".";
    return false;
  }
  out = value;
  return true;
}

bool validSession(const std::string& s) {
  if (s.empty() || s.size() > HoldRequest::kMaxSessionBytes) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != '~') return false;
  }
  return true;
}

}  // namespace

std::optional<HoldRequest> HoldRequest::parse(const net::HttpRequestHead& head, std::string& error) {
  HoldRequest r;
  uint64_t timeout = r.timeoutS;
  uint64_t limit = r.limit;
  if (!numberParam(head, "uid", true, 1, UINT64_MAX, r.uid, error) ||
      !numberParam(head, "since", true, 0, UINT64_MAX - kMaxLimit, r.since, error) ||
      !numberParam(head, "timeout", false, 0, kMaxTimeoutS, timeout, error) ||
      !numberParam(head, "limit", false, 1, kMaxLimit, limit, error)) {
    return std::nullopt;
  }
  const auto session = head.param("session");
  if (!session || !validSession(*session)) {
    error = "Query parameter 'session' must be 1 to 128 characters of [A-Za-z0-9._~-].";
    return std::nullopt;
  }
  r.session = *session;
  r.timeoutS = static_cast<uint32_t>(timeout);
  r.limit = static_cast<uint32_t>(limit);
  return r;
}

}  // namespace im::pushd
