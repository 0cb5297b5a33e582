// SPDX-License-Identifier: MIT
// HoldRequestFuzz.cc - pushd's HTTP head scanner/parser and the hold parameters behind it.
// Even first byte: the rest is raw bytes off the socket. Odd: the rest becomes a session value
// that we percent-encode into a hand-over request, and param() must decode it back exactly.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pushd/HoldRequest.h"
#include "pushd/net/HttpRequestHead.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

using im::pushd::HoldRequest;
using im::net::HttpRequestHead;

constexpr size_t kMaxHeadBytes = 4096;  // small, so the fuzzer reaches TooLarge too

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool validSession(const std::string& s) {
  if (s.empty() || s.size() > HoldRequest::kMaxSessionBytes) return false;
  for (char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '_' && c != '.' && c != '~') return false;
  }
  return true;
}

void checkHold(const HttpRequestHead& head) {
  std::string error;
  const auto r = HoldRequest::parse(head, error);
  if (!r) {
    FUZZ_CHECK(!error.empty());  // becomes the 400 answer's message
    return;
  }
  FUZZ_CHECK(r->uid >= 1);
  FUZZ_CHECK(r->since <= UINT64_MAX - HoldRequest::kMaxLimit);  // since + limit cannot overflow
  FUZZ_CHECK(r->timeoutS <= HoldRequest::kMaxTimeoutS);
  FUZZ_CHECK(r->limit >= 1 && r->limit <= HoldRequest::kMaxLimit);
  FUZZ_CHECK(validSession(r->session));
}

void checkRawHead(std::string_view buffer) {
  size_t headBytes = 0;
  const auto scan = HttpRequestHead::scan(buffer, kMaxHeadBytes, headBytes);
  if (scan == HttpRequestHead::Scan::TooLarge) FUZZ_CHECK(buffer.size() >= kMaxHeadBytes);
  // The whole input as one head too: the parser must survive heads the scanner never cuts.
  const std::string_view head = scan == HttpRequestHead::Scan::Complete ? buffer.substr(0, headBytes) : buffer;
  if (scan == HttpRequestHead::Scan::Complete) {
    FUZZ_CHECK(headBytes <= buffer.size() && headBytes <= kMaxHeadBytes);
    FUZZ_CHECK(endsWith(head, "\n\n") || endsWith(head, "\r\n\r\n"));
  }
  const auto parsed = HttpRequestHead::parse(head);
  if (!parsed) return;
  FUZZ_CHECK(!parsed->method().empty() && !parsed->path().empty() && parsed->path().front() == '/');
  FUZZ_CHECK(parsed->path().find('?') == std::string::npos);
  checkHold(*parsed);
}

std::string percentEncode(std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : raw) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

void checkEncodedSession(std::string_view session) {
  const std::string request =
      "GET /hold?uid=7&since=3&session=" + percentEncode(session) + "&timeout=5 HTTP/1.0\r\nHost: pushd\r\n\r\n";
  const auto head = HttpRequestHead::parse(request);
  FUZZ_CHECK(head.has_value());
  FUZZ_CHECK(head->param("session") == std::string(session));
  std::string error;
  const auto hold = HoldRequest::parse(*head, error);
  FUZZ_CHECK(hold.has_value() == validSession(std::string(session)));
  if (hold) FUZZ_CHECK(hold->session == session && hold->uid == 7 && hold->since == 3 && hold->timeoutS == 5);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) checkRawHead(rest);
  else checkEncodedSession(rest);
  return 0;
}
