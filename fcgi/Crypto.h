// SPDX-License-Identifier: MIT
// Crypto.h - libsodium in one place: Argon2id password hashes, random bearer tokens and
// the SHA-256 under which a token is stored. Call initCryptoOrDie() once before serving.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace im::fcgi {

void initCryptoOrDie();

// crypto_pwhash_str (Argon2id) with the given cost; throws std::runtime_error when out of memory.
std::string hashPassword(std::string_view password, uint64_t ops, uint64_t memKib);
bool verifyPassword(std::string_view password, const std::string& hash);

// 32 random bytes, base64url without padding (43 characters).
std::string newToken();
// Lower-case hex of SHA-256(token): what sessions.token_hash holds (via UNHEX).
std::string tokenHashHex(std::string_view token);

}  // namespace im::fcgi
