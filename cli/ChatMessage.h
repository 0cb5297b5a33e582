// SPDX-License-Identifier: MIT
// ChatMessage.h - API.md's Message as the client reads it (poll, history, search answers).
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

namespace im::cli {

struct ChatMessage {
  uint64_t seq = 0;  // poll answers only
  uint64_t msgId = 0;
  uint64_t from = 0;
  std::string fromName;
  uint64_t to = 0;     // a direct message
  uint64_t group = 0;  // a group message (to == 0)
  std::string body;
  std::string type;    // "" for a message a person wrote; member_added, ... for group changes
  int64_t createdAtMs = 0;
  std::string json;    // the object as received, for --on-message and `tail`

  bool isGroup() const { return group != 0; }
};

// Throws std::runtime_error when a required field is missing or ill-typed.
ChatMessage parseChatMessage(const Poco::JSON::Object::Ptr& obj);

// "2026-11-22T10:00:00.123Z" -> Unix ms; 0 when malformed.
int64_t parseRfc3339Ms(const std::string& text);

}  // namespace im::cli
