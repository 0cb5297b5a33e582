// SPDX-License-Identifier: MIT
// JsonFields.h - typed access to the fields of a parsed request body, with API.md's 400
// sentences: the shared vocabulary of every request parser (Protocol, GroupProtocol, ...).
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace im::common {

// Throws ApiError(BadRequest) with `message`.
[[noreturn]] void badRequest(const std::string& message);

// The body must be valid UTF-8 as a whole before Poco sees it (API.md: invalid UTF-8 -> 400);
// then it must be one JSON object.
Poco::JSON::Object::Ptr parseBody(std::string_view json);

// Present and not null: a JSON null counts as an absent field.
bool present(const Poco::JSON::Object& o, const std::string& key);

// A string field; nullopt when absent or null. Escapes such as "\ud800" can still decode
// to ill-formed UTF-8, so each string is validated again after parsing.
std::optional<std::string> optString(const Poco::JSON::Object& o, const std::string& key);
std::string reqString(const Poco::JSON::Object& o, const std::string& key);

// A JSON true/false; nullopt when absent or null; 0/1 and "true" are refused.
std::optional<bool> optBool(const Poco::JSON::Object& o, const std::string& key);

// A JSON integer > 0 that fits in 64 bits; floats, strings, booleans, zero and negatives are
// refused with "<what> must be a positive integer.".
uint64_t idFromVar(const Poco::Dynamic::Var& v, const std::string& what);
std::optional<uint64_t> optId(const Poco::JSON::Object& o, const std::string& key);

}  // namespace im::common
