// SPDX-License-Identifier: MIT
// Protocol.cc - request parsing/validation and Message rendering for the API.md shapes.
#include "common/Protocol.h"

#include <Poco/JSON/Array.h>

#include <charconv>
#include <set>

#include "common/ApiError.h"
#include "common/GroupProtocol.h"
#include "common/JsonFields.h"
#include "common/Time.h"
#include "common/Utf8.h"

namespace im::common {
namespace {

using Poco::JSON::Object;

[[noreturn]] void bad(const std::string& message) { badRequest(message); }

void checkUsername(const std::string& name) {
  bool ok = name.size() >= kMinUsername && name.size() <= kMaxUsername;
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok) bad("The username must be 3-32 characters of a-z, 0-9 and _.");
}

void checkPassword(const std::string& password) {
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    bad("The password must be 8-128 bytes long.");
  }
}

// Strict decimal: digits only, no sign, no spaces, no overflow.
std::optional<uint64_t> parseDecimal(std::string_view text) {
  uint64_t value = 0;
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

RegisterRequest parseRegisterRequest(std::string_view json) {
  const auto o = parseBody(json);
  RegisterRequest r{reqString(*o, "username"), reqString(*o, "password")};
  checkUsername(r.username);
  checkPassword(r.password);
  return r;
}

// Login does not re-check the username/password shape: a wrong one is simply a failed login (401).
LoginRequest parseLoginRequest(std::string_view json) {
  const auto o = parseBody(json);
  LoginRequest r{reqString(*o, "username"), reqString(*o, "password"), optString(*o, "device").value_or("")};
  if (*utf8Length(r.device) > kMaxDeviceChars) bad("Field 'device' must be at most 64 characters.");
  return r;
}

SendRequest parseSendRequest(std::string_view json) {
  const auto o = parseBody(json);
  SendRequest r;
  const auto to = optId(*o, "to");
  const auto group = optId(*o, "group");
  if (to.has_value() == group.has_value()) bad("Exactly one of 'to' and 'group' is required.");
  r.to = to.value_or(0);
  r.group = group.value_or(0);
  r.body = reqString(*o, "body");
  const size_t chars = *utf8Length(r.body);
  if (chars == 0) bad("The message body must not be empty.");
  if (chars > kMaxBodyChars) throw ApiError(ErrorCode::TooLarge, "The message body is longer than 4000 characters.");
  r.clientMsgId = optString(*o, "client_msg_id");
  if (r.clientMsgId && *utf8Length(*r.clientMsgId) > kMaxClientMsgIdChars) {
    bad("Field 'client_msg_id' must be at most 64 characters.");
  }
  return r;
}

CreateGroupRequest parseCreateGroupRequest(std::string_view json) {
  const auto o = parseBody(json);
  CreateGroupRequest r;
  r.name = reqString(*o, "name");
  checkGroupName(r.name);
  r.isPublic = optBool(*o, "public").value_or(false);
  if (!present(*o, "members")) return r;
  const auto members = o->getArray("members");
  if (!members) bad("Field 'members' must be an array of user ids.");
  if (members->size() > kMaxGroupMembers) throw ApiError(ErrorCode::TooLarge, "A group has at most 2000 members.");
  std::set<uint64_t> seen;
  for (size_t i = 0; i < members->size(); ++i) {
    const uint64_t id = idFromVar(members->get(static_cast<unsigned>(i)), "Each member");
    if (seen.insert(id).second) r.members.push_back(id);
  }
  return r;
}

TypingRequest parseTypingRequest(std::string_view json) {
  const auto o = parseBody(json);
  const auto to = optId(*o, "to");
  const auto group = optId(*o, "group");
  if (to.has_value() == group.has_value()) bad("Exactly one of 'to' and 'group' is required.");
  return TypingRequest{to.value_or(0), group.value_or(0)};
}

PollParams parsePollParams(const QueryParams& query, int defaultTimeout, int maxTimeout) {
  PollParams p;
  if (const auto it = query.find("since"); it != query.end()) {
    const auto v = parseDecimal(it->second);
    if (!v) bad("Query parameter 'since' must be a non-negative integer.");
    p.since = *v;
  }
  p.timeout = intParam(query, "timeout", defaultTimeout, 0, maxTimeout);
  p.limit = intParam(query, "limit", kDefaultPollLimit, 1, kMaxPollLimit);
  return p;
}

HistoryParams parseHistoryParams(const QueryParams& query) {
  HistoryParams p;
  const auto with = idParam(query, "with");
  const auto group = idParam(query, "group");
  if (with.has_value() == group.has_value()) bad("Exactly one of 'with' and 'group' is required.");
  p.with = with.value_or(0);
  p.group = group.value_or(0);
  p.before = idParam(query, "before");
  p.limit = intParam(query, "limit", kDefaultHistoryLimit, 1, kMaxHistoryLimit);
  return p;
}

int intParam(const QueryParams& q, const std::string& name, int fallback, int lo, int hi) {
  const auto it = q.find(name);
  if (it == q.end()) return fallback;
  const auto v = parseDecimal(it->second);
  if (!v || *v < static_cast<uint64_t>(lo) || *v > static_cast<uint64_t>(hi)) {
    bad("Query parameter '" + name + "' must be an integer from " + std::to_string(lo) + " to " +
        std::to_string(hi) + ".");
  }
  return static_cast<int>(*v);
}

std::optional<uint64_t> idParam(const QueryParams& q, const std::string& name) {
  const auto it = q.find(name);
  if (it == q.end()) return std::nullopt;
  return parseId(it->second, "Query parameter '" + name + "'");
}

uint64_t parseId(std::string_view text, std::string_view what) {
  const auto v = parseDecimal(text);
  if (!v || *v == 0) bad(std::string(what) + " must be a positive integer.");
  return *v;
}

void renderMessage(JsonWriter& w, const Message& m, std::optional<uint64_t> seq) {
  w.beginObject();
  if (seq) w.key("seq").number(*seq);
  w.key("msg_id").number(m.msgId);
  w.key("from").number(m.from);
  w.key("from_name").string(m.fromName);
  if (m.group != 0) w.key("group").number(m.group);
  else w.key("to").number(m.to);
  w.key("body").string(m.body);
  w.key("client_msg_id");
  if (m.clientMsgId) w.string(*m.clientMsgId);
  else w.null();
  w.key("created_at").string(formatRfc3339(m.createdAtMs));
  if (m.type != MessageType::Person) w.key("type").string(toString(m.type));
  if (m.target != 0) w.key("target").number(m.target);
  if (m.role) w.key("role").string(toString(*m.role));
  w.endObject();
}

std::string renderMessage(const Message& m) {
  JsonWriter w;
  renderMessage(w, m);
  return w.take();
}

}  // namespace im::common
