// SPDX-License-Identifier: MIT
// Auth.cc - token lookup and password check.
#include "fcgi/Auth.h"

#include "common/ApiError.h"
#include "fcgi/Crypto.h"

namespace im::fcgi {
namespace {

// A session's last use is written at most hourly: the idle limit counts in days, and a client
// re-polling every minute (every poll timeout) must not turn each poll into a durable write.
constexpr int64_t kTouchEveryMs = 60 * 60 * 1000;

[[noreturn]] void unauthorized(const std::string& message) {
  throw common::ApiError(common::ErrorCode::Unauthorized, message);
}

}  // namespace

int64_t idleLimitMs(const common::Config& config) { return int64_t{config.auth.tokenIdleDays} * 86400 * 1000; }

namespace {

std::string requireTokenHash(const Request& request) {
  if (request.bearerToken().empty()) unauthorized("An 'Authorization: Bearer <token>' header is required.");
  return tokenHashHex(request.bearerToken());
}

// The MySQL lookup; `ticket` (TokenCache::find's) lets it fill the cache.
AuthSession lookUp(const std::string& hash, const std::string& ticket, Services& services) {
  const int64_t now = services.clock.wallMs();
  auto session = services.sessions.find(hash, now - idleLimitMs(services.config));
  if (!session) unauthorized("The token is unknown, expired or revoked.");
  if (now - session->lastUsedMs >= kTouchEveryMs) {
    services.sessions.touch(session->sessionId, now);
    session->lastUsedMs = now;
  }
  const CachedSession stable{session->sessionId, session->userId, session->username, session->lastUsedMs};
  services.tokens.fill(hash, ticket, stable, session->lastUsedMs + kTouchEveryMs,
                       session->lastUsedMs + idleLimitMs(services.config));
  return *session;
}

}  // namespace

AuthSession authenticate(const Request& request, Services& services) {
  const std::string hash = requireTokenHash(request);
  auto cached = services.tokens.find(hash);
  if (cached.kind == TokenCache::Lookup::Kind::Revoked) unauthorized("The token is unknown, expired or revoked.");
  if (cached.kind == TokenCache::Lookup::Kind::Miss) return lookUp(hash, cached.ticket, services);
  // The entry expires before the session's touch is due and before it goes idle (fill()).
  AuthSession s;
  s.sessionId = cached.session.sessionId;
  s.userId = cached.session.userId;
  s.username = std::move(cached.session.username);
  s.lastUsedMs = cached.session.lastUsedMs;
  s.seqsRead = false;
  return s;
}

AuthSession authenticateInMysql(const Request& request, Services& services) {
  return lookUp(requireTokenHash(request), "", services);
}

uint64_t checkPassword(const std::string& username, const std::string& password, Services& services) {
  // Verified against when the name is unknown, so both failures take the same time.
  static const std::string dummy =
      hashPassword("not a real password", services.config.auth.argon2Ops, services.config.auth.argon2MemKib);
  const auto user = services.users.findByName(username);
  const bool ok = verifyPassword(password, user ? user->passwordHash : dummy);
  if (!user || !ok) unauthorized("Wrong username or password.");
  return user->id;
}

}  // namespace im::fcgi
