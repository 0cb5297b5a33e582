// SPDX-License-Identifier: MIT
// Utf8Fuzz.cc - common::utf8Length against a reference decoder written here the other way
// round: decode by the lead byte's length, then reject overlongs, surrogates and > U+10FFFF by
// the code point's value. The two must agree on validity and count, and a valid input must
// re-encode to itself.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Utf8.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

// Sequence length announced by a lead byte; 0 for a continuation byte or 0xF8..0xFF.
size_t sequenceLength(uint8_t lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

// The code point of the sequence at `bytes`, nullopt when ill-formed.
std::optional<uint32_t> decodeOne(std::string_view bytes, size_t length) {
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  static constexpr uint32_t kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  if (length == 0 || bytes.size() < length) return std::nullopt;
  uint32_t cp = static_cast<uint8_t>(bytes[0]) & kLeadMask[length];
  for (size_t k = 1; k < length; ++k) {
    const auto b = static_cast<uint8_t>(bytes[k]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return cp;
}

std::optional<std::vector<uint32_t>> referenceDecode(std::string_view text) {
  std::vector<uint32_t> out;
  while (!text.empty()) {
    const size_t length = sequenceLength(static_cast<uint8_t>(text[0]));
    const auto cp = decodeOne(text, length);
    if (!cp) return std::nullopt;
    out.push_back(*cp);
    text.remove_prefix(length);
  }
  return out;
}

std::string encode(const std::vector<uint32_t>& codePoints) {
  std::string out;
  auto put = [&out](uint32_t v) { out.push_back(static_cast<char>(v)); };
  for (uint32_t cp : codePoints) {
    if (cp < 0x80) {
      put(cp);
    } else if (cp < 0x800) {
      put(0xC0 | (cp >> 6)), put(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      put(0xE0 | (cp >> 12)), put(0x80 | ((cp >> 6) & 0x3F)), put(0x80 | (cp & 0x3F));
    } else {
      put(0xF0 | (cp >> 18)), put(0x80 | ((cp >> 12) & 0x3F)), put(0x80 | ((cp >> 6) & 0x3F)), put(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto expected = referenceDecode(text);
  const auto actual = im::common::utf8Length(text);
  FUZZ_CHECK(expected.has_value() == actual.has_value());
  if (!expected) return 0;
  FUZZ_CHECK(*actual == expected->size());
  FUZZ_CHECK(encode(*expected) == text);
  return 0;
}
