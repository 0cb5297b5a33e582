// SPDX-License-Identifier: MIT
// HoldRequestFuzz.cc - the hand-over codec (common/HoldRequest) and pushd's HTTP head
// scanner/parser in front of it. First byte % 3 picks the mode:
//   0: the rest is raw bytes off pushd's socket: scan, parse, decode the query;
//   1: the rest is a query string: whatever decode accepts is valid and re-encodes to itself;
//   2: the rest builds a HoldRequest (five 8-byte numbers, then the session and, after a '|',
//      the request id): encode -> decode gives it back exactly when its fields are valid.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/HoldRequest.h"
#include "common/Log.h"
#include "pushd/net/HttpRequestHead.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

using im::common::HoldRequest;
using im::net::HttpRequestHead;

constexpr size_t kMaxHeadBytes = 4096;  // small, so the fuzzer reaches TooLarge too

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// What decode promises of anything it accepts; and it re-encodes to an equal request.
void checkDecoded(std::string_view query) {
  std::string error;
  const auto r = HoldRequest::decode(query, error);
  if (!r) {
    FUZZ_CHECK(!error.empty());  // becomes the 400 answer's message
    return;
  }
  FUZZ_CHECK(r->uid >= 1);
  FUZZ_CHECK(r->since <= UINT64_MAX - HoldRequest::kMaxLimit);  // since + limit cannot overflow
  FUZZ_CHECK(r->timeoutS <= HoldRequest::kMaxTimeoutS);
  FUZZ_CHECK(r->limit >= 1 && r->limit <= HoldRequest::kMaxLimit);
  FUZZ_CHECK(HoldRequest::validSession(r->session));
  FUZZ_CHECK(r->req.empty() || im::common::validRequestId(r->req));
  std::string again;
  const auto back = HoldRequest::decode(r->encode(), again);
  FUZZ_CHECK(back && *back == *r);
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
  checkDecoded(parsed->query());
}

uint64_t take64(std::string_view& bytes) {
  uint64_t v = 0;
  const size_t n = bytes.size() < 8 ? bytes.size() : 8;
  std::memcpy(&v, bytes.data(), n);
  bytes.remove_prefix(n);
  return v;
}

void checkBuilt(std::string_view bytes) {
  HoldRequest r;
  r.uid = take64(bytes);
  r.since = take64(bytes);
  r.timeoutS = static_cast<uint32_t>(take64(bytes) % (2 * HoldRequest::kMaxTimeoutS));
  r.limit = static_cast<uint32_t>(take64(bytes) % (2 * HoldRequest::kMaxLimit));
  if (take64(bytes) % 2 == 0) r.since %= 1000;  // mostly valid cursors, so the round trip is reached
  const size_t bar = bytes.find('|');  // in neither alphabet: it only separates the two
  r.session = std::string(bytes.substr(0, bar));
  if (bar != std::string_view::npos) r.req = std::string(bytes.substr(bar + 1));
  const bool valid = r.uid >= 1 && r.since <= UINT64_MAX - HoldRequest::kMaxLimit &&
                     r.timeoutS <= HoldRequest::kMaxTimeoutS && r.limit >= 1 && r.limit <= HoldRequest::kMaxLimit &&
                     HoldRequest::validSession(r.session) && (r.req.empty() || im::common::validRequestId(r.req));
  // A session or id with '&' or '=' (invalid) may split into other parameters: decode only must
  // not crash.
  const bool splits = r.session.find_first_of("&=") != std::string::npos || r.req.find_first_of("&=") != std::string::npos;
  std::string error;
  const auto back = HoldRequest::decode(r.encode(), error);
  if (splits) return;
  FUZZ_CHECK(back.has_value() == valid);
  if (back) FUZZ_CHECK(*back == r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: checkRawHead(rest); break;
    case 1: checkDecoded(rest); break;
    default: checkBuilt(rest); break;
  }
  return 0;
}
