// SPDX-License-Identifier: MIT
// NotificationFuzz.cc - common::Notification's codec on hostile list payloads (pushd pops
// whatever is in its Redis list). Invariants: decode(encode(decode(w))) == decode(w); a
// notification (message or event) built from the input survives encode -> decode; seq insertion
// keeps JSON valid.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/ApiError.h"
#include "common/Json.h"
#include "common/Notification.h"
#include "common/Utf8.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

using im::common::Notification;
using im::common::Recipient;

bool sameNotification(const Notification& a, const Notification& b) {
  return a.kind == b.kind && a.recipients == b.recipients && a.payload == b.payload;
}

// Whatever decode accepts has the documented shape and re-encodes to something equivalent.
void checkDecoded(std::string_view wire) {
  const auto n = Notification::decode(wire);
  if (!n) return;
  FUZZ_CHECK(!n->recipients.empty());
  const bool event = n->kind == Notification::Kind::Event;
  for (const auto& r : n->recipients) FUZZ_CHECK(r.uid != 0 && (event ? r.seq == 0 : r.seq != 0));
  FUZZ_CHECK(n->payload.size() >= 2 && n->payload.front() == '{' && n->payload.back() == '}');
  const auto again = Notification::decode(n->encode());
  FUZZ_CHECK(again && sameNotification(*again, *n));
}

// Recipients from 16-byte chunks up to the first '|', the payload "{" + rest + "}"; an event
// (no seqs) when the input starts with an odd byte.
Notification buildFrom(std::string_view bytes) {
  Notification n;
  const bool event = !bytes.empty() && (static_cast<unsigned char>(bytes.front()) & 1) != 0;
  if (event) n.kind = Notification::Kind::Event;
  const auto bar = bytes.find('|');
  std::string_view head = bytes.substr(0, bar);
  while (head.size() >= 16) {
    Recipient r;
    std::memcpy(&r.uid, head.data(), 8);
    std::memcpy(&r.seq, head.data() + 8, 8);
    n.recipients.push_back({r.uid | 1, event ? 0 : (r.seq | 1)});  // ids are never 0
    head.remove_prefix(16);
  }
  if (n.recipients.empty()) n.recipients.push_back({1, event ? uint64_t{0} : uint64_t{1}});
  n.payload = "{" + std::string(bar == std::string_view::npos ? std::string_view{} : bytes.substr(bar + 1)) + "}";
  return n;
}

void checkRoundTrip(std::string_view bytes) {
  const Notification n = buildFrom(bytes);
  const auto decoded = Notification::decode(n.encode());
  FUZZ_CHECK(decoded && sameNotification(*decoded, n));
}

// A message that is a JSON object stays one after "seq" is put in front, and carries that seq.
void checkSeqInsertion(std::string_view bytes) {
  const Notification n = buildFrom(bytes);
  // fcgi only ever renders valid UTF-8; and Poco 1.11's parser takes a 0xFF byte for the end of
  // its input, so "{}\xff..." would parse as "{}" (Protocol checks UTF-8 before parsing for that).
  if (!im::common::utf8Length(n.payload)) return;
  Poco::JSON::Object::Ptr original;
  try {
    original = im::common::parseJsonObject(n.payload, 64);
  } catch (const im::common::ApiError&) {
    return;  // not JSON: pushd never gets such a message from fcgi
  }
  const uint64_t seq = n.recipients.front().seq;
  std::string withSeq;
  im::common::appendMessageWithSeq(withSeq, n.payload, seq);
  try {
    const auto o = im::common::parseJsonObject(withSeq, 64);
    if (!original->has("seq")) FUZZ_CHECK(o->getValue<uint64_t>("seq") == seq);
  } catch (const im::common::ApiError& e) {
    im::fuzz::invariantFailed(e.what(), __FILE__, __LINE__);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  checkDecoded(bytes);
  checkRoundTrip(bytes);
  checkSeqInsertion(bytes);
  return 0;
}
