// SPDX-License-Identifier: MIT
// ApiError.h - the error vocabulary of shared/API.md, row for row, and the exception handlers throw.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace im::common {

// (name, HTTP status, wire code): exactly the table of API.md "Errors".
#define IM_API_ERRORS(X)                              \
  X(BadRequest, 400, "bad_request")                   \
  X(Unauthorized, 401, "unauthorized")                \
  X(Forbidden, 403, "forbidden")                      \
  X(NotFound, 404, "not_found")                       \
  X(MethodNotAllowed, 405, "method_not_allowed")      \
  X(Conflict, 409, "conflict")                        \
  X(TooLarge, 413, "too_large")                       \
  X(RateLimited, 429, "rate_limited")                 \
  X(Unavailable, 503, "unavailable")

enum class ErrorCode {
#define IM_ERROR_ENUM(name, status, code) name,
  IM_API_ERRORS(IM_ERROR_ENUM)
#undef IM_ERROR_ENUM
};

int toHttpStatus(ErrorCode code);
std::string_view toCode(ErrorCode code);

// Thrown by handlers and stores; caught in exactly one place (fcgi/WorkerLoop).
class ApiError : public std::runtime_error {
 public:
  ApiError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }
  // Seconds for a Retry-After header (429 only); 0 = none.
  int retryAfter() const { return retryAfter_; }
  ApiError& withRetryAfter(int seconds) {
    retryAfter_ = seconds;
    return *this;
  }

 private:
  ErrorCode code_;
  int retryAfter_ = 0;
};

// The JSON body of an error: {"error":"<code>","message":"<message>"}.
std::string renderError(ErrorCode code, std::string_view message);

}  // namespace im::common
