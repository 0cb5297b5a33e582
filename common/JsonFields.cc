// SPDX-License-Identifier: MIT
// JsonFields.cc - field extraction and its 400 sentences.
#include "common/JsonFields.h"

#include <typeinfo>

#include "common/ApiError.h"
#include "common/Json.h"
#include "common/Utf8.h"

namespace im::common {

using Poco::JSON::Object;

void badRequest(const std::string& message) { throw ApiError(ErrorCode::BadRequest, message); }

Object::Ptr parseBody(std::string_view json) {
  if (!utf8Length(json)) badRequest("The request body is not valid UTF-8.");
  return parseJsonObject(json);
}

bool present(const Object& o, const std::string& key) { return o.has(key) && !o.isNull(key); }

std::optional<std::string> optString(const Object& o, const std::string& key) {
  if (!present(o, key)) return std::nullopt;
  const Poco::Dynamic::Var v = o.get(key);
  if (v.type() != typeid(std::string)) badRequest("Field '" + key + "' must be a string.");
  std::string s = v.extract<std::string>();
  if (!utf8Length(s)) badRequest("Field '" + key + "' is not valid UTF-8.");
  return s;
}

std::string reqString(const Object& o, const std::string& key) {
  auto s = optString(o, key);
  if (!s) badRequest("Field '" + key + "' is required.");
  return std::move(*s);
}

std::optional<bool> optBool(const Object& o, const std::string& key) {
  if (!present(o, key)) return std::nullopt;
  const Poco::Dynamic::Var v = o.get(key);
  if (v.type() != typeid(bool)) badRequest("Field '" + key + "' must be true or false.");
  return v.extract<bool>();
}

uint64_t idFromVar(const Poco::Dynamic::Var& v, const std::string& what) {
  const std::type_info& t = v.type();
  int64_t signedValue = 1;
  uint64_t value = 0;
  if (t == typeid(Poco::Int64)) signedValue = v.extract<Poco::Int64>();
  else if (t == typeid(int)) signedValue = v.extract<int>();
  else if (t == typeid(Poco::UInt64)) value = v.extract<Poco::UInt64>();
  else if (t == typeid(unsigned)) value = v.extract<unsigned>();
  else badRequest(what + " must be a positive integer.");
  if (t == typeid(Poco::Int64) || t == typeid(int)) {
    if (signedValue <= 0) badRequest(what + " must be a positive integer.");
    value = static_cast<uint64_t>(signedValue);
  }
  if (value == 0) badRequest(what + " must be a positive integer.");
  return value;
}

std::optional<uint64_t> optId(const Object& o, const std::string& key) {
  if (!present(o, key)) return std::nullopt;
  return idFromVar(o.get(key), "Field '" + key + "'");
}

}  // namespace im::common
