// SPDX-License-Identifier: MIT
// Utf8.cc - the validator, following the well-formed byte sequences table of Unicode 15 section 3.9.
#include "common/Utf8.h"

namespace im::common {

std::optional<size_t> utf8Length(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  const size_t n = text.size();
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < n && byte(k) >= lo && byte(k) <= hi;
  };
  while (i < n) {
    const unsigned char b = byte(i);
    if (b < 0x80) {
      i += 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      if (!cont(i + 1)) return std::nullopt;
      i += 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      // E0: no overlongs (A0..BF); ED: no UTF-16 surrogates (80..9F).
      const unsigned char lo = b == 0xE0 ? 0xA0 : 0x80;
      const unsigned char hi = b == 0xED ? 0x9F : 0xBF;
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return std::nullopt;
      i += 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      // F0: no overlongs (90..BF); F4: nothing past U+10FFFF (80..8F).
      const unsigned char lo = b == 0xF0 ? 0x90 : 0x80;
      const unsigned char hi = b == 0xF4 ? 0x8F : 0xBF;
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return std::nullopt;
      i += 4;
    } else {
      return std::nullopt;
    }
    ++count;
  }
  return count;
}

}  // namespace im::common
