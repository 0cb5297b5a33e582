// SPDX-License-Identifier: MIT
// Protocol.h - the JSON shapes of shared/API.md as structs: request parsing with every
// validation limit (throws ApiError BadRequest/TooLarge), and Message rendering. Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/GroupRole.h"
#include "common/Json.h"
#include "common/MessageType.h"

namespace im::common {

// Limits of API.md (characters are Unicode code points, bytes are UTF-8 bytes).
inline constexpr size_t kMinUsername = 3, kMaxUsername = 32;         // [a-z0-9_]
inline constexpr size_t kMinPasswordBytes = 8, kMaxPasswordBytes = 128;
inline constexpr size_t kMaxDeviceChars = 64;
inline constexpr size_t kMaxBodyChars = 4000;
inline constexpr size_t kMaxClientMsgIdChars = 64;
inline constexpr size_t kMaxGroupNameChars = 64;   // chat_groups.name VARCHAR(64)
inline constexpr size_t kMaxGroupMembers = 2000;   // creator included
inline constexpr int kDefaultPollLimit = 100, kMaxPollLimit = 500;
inline constexpr int kDefaultHistoryLimit = 50, kMaxHistoryLimit = 200;

// Request bodies. Unknown fields are ignored; a JSON null counts as an absent field.
// On a duplicate key the last one wins (Poco::JSON keeps the last).
struct RegisterRequest {
  std::string username;
  std::string password;  // secret: never logged
};

struct LoginRequest {
  std::string username;
  std::string password;  // secret: never logged
  std::string device;    // "" when absent
};

struct SendRequest {
  uint64_t to = 0;     // exactly one of `to` and `group` is non-zero
  uint64_t group = 0;
  std::string body;
  std::optional<std::string> clientMsgId;
};

struct CreateGroupRequest {
  std::string name;
  std::vector<uint64_t> members;  // unique, in request order; may contain the creator
  bool isPublic = false;          // "public": private unless created public
};

RegisterRequest parseRegisterRequest(std::string_view json);
LoginRequest parseLoginRequest(std::string_view json);
SendRequest parseSendRequest(std::string_view json);
CreateGroupRequest parseCreateGroupRequest(std::string_view json);

// POST /im/typing {"to": uid} | {"group": gid}: exactly one of them is non-zero.
struct TypingRequest {
  uint64_t to = 0;
  uint64_t group = 0;
};
TypingRequest parseTypingRequest(std::string_view json);

// Query parameters (already percent-decoded), by name.
using QueryParams = std::map<std::string, std::string, std::less<>>;

struct PollParams {
  uint64_t since = 0;
  int timeout = 0;  // seconds
  int limit = kDefaultPollLimit;
};

struct HistoryParams {
  uint64_t with = 0;   // exactly one of `with` and `group` is non-zero
  uint64_t group = 0;
  std::optional<uint64_t> before;
  int limit = kDefaultHistoryLimit;
};

PollParams parsePollParams(const QueryParams& query, int defaultTimeout, int maxTimeout);
HistoryParams parseHistoryParams(const QueryParams& query);

// Query parameter helpers shared by every endpoint's parser (throw ApiError BadRequest):
// an integer in [lo, hi] or `fallback` when absent; a positive id or nullopt when absent.
int intParam(const QueryParams& q, const std::string& name, int fallback, int lo, int hi);
std::optional<uint64_t> idParam(const QueryParams& q, const std::string& name);

// A positive 64-bit id in decimal (path segment or query value); `what` names it in the error.
uint64_t parseId(std::string_view text, std::string_view what);

// API.md "Message". Exactly one of `to` (direct) and `group` is non-zero. A membership
// change (type != Person) is a group message whose `from` made it, `target` is the user it
// concerns (0 for group_updated) and `role` the new role of a role_changed.
struct Message {
  uint64_t msgId = 0;
  uint64_t from = 0;
  std::string fromName;
  uint64_t to = 0;
  uint64_t group = 0;
  std::string body;
  std::optional<std::string> clientMsgId;  // rendered as null when absent
  int64_t createdAtMs = 0;
  MessageType type = MessageType::Person;  // Person: rendered without "type"
  uint64_t target = 0;                     // rendered when non-zero
  std::optional<GroupRole> role = std::nullopt;  // rendered when set
};

// Writes the Message object; "seq" first when given (the shape pushd produces with
// appendMessageWithSeq, so catch-up answers and pushed answers are byte-identical in form).
void renderMessage(JsonWriter& w, const Message& m, std::optional<uint64_t> seq = std::nullopt);
// The Message object without "seq": the payload of a Notification.
std::string renderMessage(const Message& m);

}  // namespace im::common
