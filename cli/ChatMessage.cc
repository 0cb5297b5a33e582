// SPDX-License-Identifier: MIT
// ChatMessage.cc - JSON -> ChatMessage.
#include "cli/ChatMessage.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>

#include <sstream>
#include <stdexcept>

namespace im::cli {

int64_t parseRfc3339Ms(const std::string& text) {
  Poco::DateTime dt;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, dt, tzd)) return 0;
  dt.makeUTC(tzd);
  return dt.timestamp().epochMicroseconds() / 1000;
}

ChatMessage parseChatMessage(const Poco::JSON::Object::Ptr& obj) {
  if (obj.isNull()) throw std::runtime_error("a message is not an object");
  ChatMessage m;
  try {
    m.seq = obj->optValue<uint64_t>("seq", 0);
    m.msgId = obj->getValue<uint64_t>("msg_id");
    m.from = obj->getValue<uint64_t>("from");
    m.fromName = obj->optValue<std::string>("from_name", "");
    m.to = obj->optValue<uint64_t>("to", 0);
    m.group = obj->optValue<uint64_t>("group", 0);
    m.body = obj->optValue<std::string>("body", "");
    m.type = obj->optValue<std::string>("type", "");
    m.createdAtMs = parseRfc3339Ms(obj->optValue<std::string>("created_at", ""));
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("a message the client cannot read: " + e.displayText());
  }
  std::ostringstream text;
  obj->stringify(text);
  m.json = text.str();
  return m;
}

}  // namespace im::cli
