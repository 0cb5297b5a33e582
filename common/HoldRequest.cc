// SPDX-License-Identifier: MIT
// HoldRequest.cc - the hand-over query string, both ways.
#include "common/HoldRequest.h"

#include <charconv>

#include "common/Log.h"

namespace im::common {
namespace {

bool parseNumber(std::string_view text, uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// The raw value of the first `name=` parameter, nullopt when absent ("name" alone is "").
std::optional<std::string_view> rawParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

// A required or optional unsigned parameter within [min, max]; false (with `error`) when bad.
bool numberParam(std::string_view query, std::string_view name, bool required, uint64_t min, uint64_t max,
                 uint64_t& out, std::string& error) {
  const auto text = rawParam(query, name);
  if (!text) {
    if (!required) return true;
    error = "Missing query parameter '" + std::string(name) + "'.";
    return false;
  }
  uint64_t value = 0;
  if (!parseNumber(*text, value) || value < min || value > max) {
    error = "Query parameter '" + std::string(name) + "' must be an integer from " + std::to_string(min) + " to " +
            std::to_string(max) + ".";
    return false;
  }
  out = value;
  return true;
}

}  // namespace

bool HoldRequest::validSession(std::string_view s) {
  if (s.empty() || s.size() > kMaxSessionBytes) return false;
  for (const char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '_' && c != '.' && c != '~') return false;
  }
  return true;
}

std::string HoldRequest::encode() const {
  std::string out;
  out.reserve(96 + session.size() + req.size());
  out += "uid=";
  out += std::to_string(uid);
  out += "&session=";
  out += session;
  out += "&since=";
  out += std::to_string(since);
  out += "&timeout=";
  out += std::to_string(timeoutS);
  out += "&limit=";
  out += std::to_string(limit);
  if (!req.empty()) {
    out += "&req=";
    out += req;
  }
  return out;
}

std::optional<HoldRequest> HoldRequest::decode(std::string_view query, std::string& error) {
  HoldRequest r;
  uint64_t timeout = r.timeoutS;
  uint64_t limit = r.limit;
  if (!numberParam(query, "uid", true, 1, UINT64_MAX, r.uid, error) ||
      !numberParam(query, "since", true, 0, UINT64_MAX - kMaxLimit, r.since, error) ||
      !numberParam(query, "timeout", false, 0, kMaxTimeoutS, timeout, error) ||
      !numberParam(query, "limit", false, 1, kMaxLimit, limit, error)) {
    return std::nullopt;
  }
  const auto session = rawParam(query, "session");
  if (!session || !validSession(*session)) {
    error = "Query parameter 'session' must be 1 to 128 characters of [A-Za-z0-9._~-].";
    return std::nullopt;
  }
  const auto req = rawParam(query, "req");
  if (req && !validRequestId(*req)) {
    error = "Query parameter 'req' must be 1 to 64 characters of [0-9A-Za-z-].";
    return std::nullopt;
  }
  r.session = std::string(*session);
  if (req) r.req = std::string(*req);
  r.timeoutS = static_cast<uint32_t>(timeout);
  r.limit = static_cast<uint32_t>(limit);
  return r;
}

}  // namespace im::common
