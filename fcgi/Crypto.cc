// SPDX-License-Identifier: MIT
// Crypto.cc - thin wrappers over libsodium.
#include "fcgi/Crypto.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace im::fcgi {

void initCryptoOrDie() {
  if (sodium_init() < 0) {
    std::fputs("im-fcgi: sodium_init failed\n", stderr);
    std::exit(1);
  }
}

std::string hashPassword(std::string_view password, uint64_t ops, uint64_t memKib) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), ops, static_cast<size_t>(memKib) * 1024) != 0) {
    throw std::runtime_error("crypto_pwhash_str failed (out of memory?)");
  }
  return std::string(out);
}

bool verifyPassword(std::string_view password, const std::string& hash) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string newToken() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out);
}

std::string tokenHashHex(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

}  // namespace im::fcgi
