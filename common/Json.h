// SPDX-License-Identifier: MIT
// Json.h - the one place the JSON library is touched: a streaming writer for answers
// (exact, allocation-light) and a bounded parser for request bodies (Poco::JSON).
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace im::common {

// Appends JSON text to a string. Commas between members and elements are
// inserted automatically; the caller only nests begin/end correctly.
class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view value);
  JsonWriter& number(int64_t value);
  JsonWriter& number(uint64_t value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // Inserts already-valid JSON text as one value.
  JsonWriter& raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();

  std::string out_;
  bool needComma_ = false;
};

// Appends `value` as a quoted JSON string (RFC 8259 escaping; input must be valid UTF-8).
void appendJsonString(std::string& out, std::string_view value);

// Parses a request body that must be a JSON object, at most `maxDepth` deep.
// Throws ApiError(BadRequest) with a sentence naming the problem.
Poco::JSON::Object::Ptr parseJsonObject(std::string_view body, unsigned maxDepth = 8);

}  // namespace im::common
