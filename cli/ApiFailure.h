// SPDX-License-Identifier: MIT
// ApiFailure.h - a call to the server that did not succeed: the HTTP status (0 when the server
// could not be reached at all), API.md's error code and message, and Retry-After when given.
#pragma once

#include <stdexcept>
#include <string>

namespace im::cli {

class ApiFailure : public std::runtime_error {
 public:
  ApiFailure(int status, std::string code, const std::string& message, int retryAfterS = 0)
      : std::runtime_error(message), status_(status), code_(std::move(code)), retryAfterS_(retryAfterS) {}

  int status() const { return status_; }               // 0: no answer (connection refused, timeout...)
  const std::string& code() const { return code_; }    // "unauthorized", ...; "" without a JSON body
  int retryAfterS() const { return retryAfterS_; }      // 0 when the server did not say

  // Worth retrying later: no answer, a 5xx, or 429.
  bool transient() const { return status_ == 0 || status_ >= 500 || status_ == 429; }
  // The route does not exist on this server (an older server without the endpoint).
  bool missingEndpoint() const { return status_ == 404 && std::string(what()) == "No such endpoint."; }

 private:
  int status_;
  std::string code_;
  int retryAfterS_;
};

}  // namespace im::cli
