// SPDX-License-Identifier: MIT
// Json.cc - JSON writer and bounded request-body parser.
#include "common/Json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "common/ApiError.h"
#include "common/Utf8.h"

namespace im::common {

void JsonWriter::separate() {
  if (needComma_) out_.push_back(',');
  needComma_ = true;
}

JsonWriter& JsonWriter::beginObject() {
  separate();
  out_.push_back('{');
  needComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  out_.push_back('}');
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  separate();
  out_.push_back('[');
  needComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  out_.push_back(']');
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  appendJsonString(out_, name);
  out_.push_back(':');
  needComma_ = false;  // the value follows without a comma
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
  separate();
  appendJsonString(out_, value);
  return *this;
}

JsonWriter& JsonWriter::number(int64_t value) {
  separate();
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::number(uint64_t value) {
  separate();
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

void appendJsonString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0xF]);
        } else {
          out.push_back(c);  // UTF-8 passes through unchanged
        }
    }
  }
  out.push_back('"');
}

Poco::JSON::Object::Ptr parseJsonObject(std::string_view body, unsigned maxDepth) {
  if (body.empty()) throw ApiError(ErrorCode::BadRequest, "The request body must be a JSON object.");
  // Checked here, not left to Poco: Poco 1.11's parser stops at a 0xFF byte as if the input
  // ended there, so "{}\xff junk" would otherwise parse as {}.
  if (!utf8Length(body)) throw ApiError(ErrorCode::BadRequest, "The request body is not valid UTF-8.");
  Poco::Dynamic::Var parsed;
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(maxDepth);
    parsed = parser.parse(std::string(body));
  } catch (const Poco::Exception&) {
    throw ApiError(ErrorCode::BadRequest, "The request body is not valid JSON.");
  } catch (const std::exception&) {
    throw ApiError(ErrorCode::BadRequest, "The request body is not valid JSON.");
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw ApiError(ErrorCode::BadRequest, "The request body must be a JSON object.");
  }
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

}  // namespace im::common
