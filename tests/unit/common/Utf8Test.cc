// SPDX-License-Identifier: MIT
// Utf8Test.cc - strict UTF-8 validation and code point counting (API.md limits are in characters).
#include "common/Utf8.h"

#include <gtest/gtest.h>

using im::common::utf8Length;

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8Length(""), 0u);
  EXPECT_EQ(utf8Length("hi"), 2u);
  EXPECT_EQ(utf8Length("h\xc3\xa9"), 2u);          // é: 2 bytes
  EXPECT_EQ(utf8Length("\xe2\x82\xac"), 1u);      // €: 3 bytes
  EXPECT_EQ(utf8Length("\xf0\x9f\x98\x80"), 1u);  // 😀: 4 bytes
  EXPECT_EQ(utf8Length("\xf4\x8f\xbf\xbf"), 1u);  // U+10FFFF, the last code point
}

TEST(Utf8, AcceptsEmbeddedNul) { EXPECT_EQ(utf8Length(std::string_view("a\0b", 3)), 3u); }

TEST(Utf8, RejectsIllFormedSequences) {
  for (const char* s : {
           "\x80",              // lone continuation byte
           "\xc3",              // truncated 2-byte sequence
           "\xc0\xaf",          // overlong '/'
           "\xc1\xbf",          // overlong
           "\xe0\x80\xaf",      // overlong 3-byte
           "\xed\xa0\x80",      // UTF-16 surrogate U+D800
           "\xf0\x80\x80\xaf",  // overlong 4-byte
           "\xf4\x90\x80\x80",  // past U+10FFFF
           "\xf5\x80\x80\x80",  // invalid lead byte
           "\xff",              // never valid
           "ok\xe2\x82",        // truncated at the end
       }) {
    EXPECT_FALSE(utf8Length(s)) << ::testing::PrintToString(s);
  }
}
