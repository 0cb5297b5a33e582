// SPDX-License-Identifier: MIT
// TestJson.h - small Poco::JSON helpers for assertions: parse a body, build a request body.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <stdexcept>
#include <string>

namespace im::test {

// Parses a JSON object; throws with the offending text, so a failed test shows the body.
inline Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    auto value = parser.parse(text);
    auto object = value.extract<Poco::JSON::Object::Ptr>();
    if (!object) throw std::runtime_error("not an object");
    return object;
  } catch (const Poco::Exception& e) {  // before std::exception, which it derives from
    throw std::runtime_error("not a JSON object (" + e.displayText() + "): " + text);
  } catch (const std::exception& e) {
    throw std::runtime_error("not a JSON object (" + std::string(e.what()) + "): " + text);
  }
}

inline std::string toJson(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

// JSON string literal with escapes, for hand-built bodies.
inline std::string quote(const std::string& text) {
  Poco::JSON::Object o;
  o.set("v", text);
  const std::string s = toJson(o);  // {"v":"..."}
  return s.substr(5, s.size() - 6);
}

}  // namespace im::test
