// SPDX-License-Identifier: MIT
// ProtocolFuzz.cc - common/Protocol's request parsers (and fcgi's query-string parser in front
// of the poll/history ones). First byte picks the parser, the rest is the body or query string.
// Invariants: only ApiError escapes (anything else would be a 500), and what is accepted is
// within API.md's limits; an accepted send renders to JSON that parses back to the same body.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "common/ApiError.h"
#include "common/Json.h"
#include "common/Protocol.h"
#include "common/Utf8.h"
#include "fcgi/QueryString.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

using namespace im::common;

bool validUsername(const std::string& name) {
  if (name.size() < kMinUsername || name.size() > kMaxUsername) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

size_t chars(const std::string& s) {
  const auto n = utf8Length(s);
  FUZZ_CHECK(n.has_value());  // every accepted string must be valid UTF-8
  return *n;
}

void checkRegister(std::string_view body) {
  const auto r = parseRegisterRequest(body);
  FUZZ_CHECK(validUsername(r.username));
  FUZZ_CHECK(r.password.size() >= kMinPasswordBytes && r.password.size() <= kMaxPasswordBytes);
  FUZZ_CHECK(chars(r.password) <= kMaxPasswordBytes);
}

void checkLogin(std::string_view body) {
  const auto r = parseLoginRequest(body);
  chars(r.username);
  chars(r.password);
  FUZZ_CHECK(chars(r.device) <= kMaxDeviceChars);
}

// The accepted body and client_msg_id must survive renderMessage -> JSON parser unchanged.
void checkRendersBack(const SendRequest& r) {
  const Message m{.msgId = 1, .from = 2, .fromName = "alice", .to = r.to, .group = r.group,
                  .body = r.body, .clientMsgId = r.clientMsgId, .createdAtMs = 0};
  try {
    const auto o = parseJsonObject(renderMessage(m));
    FUZZ_CHECK(o->getValue<std::string>("body") == r.body);
    if (r.clientMsgId) FUZZ_CHECK(o->getValue<std::string>("client_msg_id") == *r.clientMsgId);
  } catch (const ApiError& e) {
    // Must not reach the caller's catch, which takes an ApiError for a rejected request.
    im::fuzz::invariantFailed(e.what(), __FILE__, __LINE__);
  }
}

void checkSend(std::string_view body) {
  const auto r = parseSendRequest(body);
  FUZZ_CHECK((r.to == 0) != (r.group == 0));
  const size_t n = chars(r.body);
  FUZZ_CHECK(n >= 1 && n <= kMaxBodyChars);
  if (r.clientMsgId) FUZZ_CHECK(chars(*r.clientMsgId) <= kMaxClientMsgIdChars);
  checkRendersBack(r);
}

void checkCreateGroup(std::string_view body) {
  const auto r = parseCreateGroupRequest(body);
  const size_t n = chars(r.name);
  FUZZ_CHECK(n >= 1 && n <= kMaxGroupNameChars);
  FUZZ_CHECK(r.members.size() <= kMaxGroupMembers);
  const std::set<uint64_t> unique(r.members.begin(), r.members.end());
  FUZZ_CHECK(unique.size() == r.members.size() && !unique.count(0));
}

void checkPoll(std::string_view query) {
  constexpr int kDefaultTimeout = 30, kMaxTimeout = 60;
  const auto p = parsePollParams(im::fcgi::parseQueryString(query), kDefaultTimeout, kMaxTimeout);
  FUZZ_CHECK(p.timeout >= 0 && p.timeout <= kMaxTimeout);
  FUZZ_CHECK(p.limit >= 1 && p.limit <= kMaxPollLimit);
}

void checkHistory(std::string_view query) {
  const auto p = parseHistoryParams(im::fcgi::parseQueryString(query));
  FUZZ_CHECK((p.with == 0) != (p.group == 0));
  FUZZ_CHECK(!p.before || *p.before > 0);
  FUZZ_CHECK(p.limit >= 1 && p.limit <= kMaxHistoryLimit);
}

void checkId(std::string_view text) { FUZZ_CHECK(parseId(text, "id") > 0); }

void dispatch(uint8_t selector, std::string_view rest) {
  switch (selector % 7) {
    case 0: return checkRegister(rest);
    case 1: return checkLogin(rest);
    case 2: return checkSend(rest);
    case 3: return checkCreateGroup(rest);
    case 4: return checkPoll(rest);
    case 5: return checkHistory(rest);
    default: return checkId(rest);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    dispatch(data[0], rest);
  } catch (const ApiError& e) {
    // The only failures a client may see from a parser: 400 or 413.
    FUZZ_CHECK(e.code() == ErrorCode::BadRequest || e.code() == ErrorCode::TooLarge);
  } catch (const std::exception& e) {
    im::fuzz::invariantFailed(e.what(), __FILE__, __LINE__);  // would have been a 500
  }
  return 0;
}
