// SPDX-License-Identifier: MIT
// CryptoTest.cc - password hashes, token shape and token hash.
#include "fcgi/Crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace im::fcgi {
namespace {

struct Crypto : ::testing::Test {
  static void SetUpTestSuite() { initCryptoOrDie(); }
};

TEST_F(Crypto, VerifiesOnlyTheRightPassword) {
  const std::string hash = hashPassword("correct horse", 1, 8192);
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verifyPassword("correct horse", hash));
  EXPECT_FALSE(verifyPassword("correct horsE", hash));
  EXPECT_NE(hash, hashPassword("correct horse", 1, 8192));  // salted
}

TEST_F(Crypto, TokensAre256RandomBitsInBase64Url) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = newToken();
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST_F(Crypto, TokenHashIsSha256Hex) {
  EXPECT_EQ(tokenHashHex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace im::fcgi
