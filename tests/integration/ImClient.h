// SPDX-License-Identifier: MIT
// ImClient.h - the public API (shared/API.md) as test calls: register, login, send, poll, history,
// plus the assertion that an answer is exactly one of API.md's JSON errors.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/HttpClient.h"
#include "tests/support/TestJson.h"

namespace im::test {

struct TestUser {
  int64_t id = 0;
  std::string name;
  std::string password;
  std::string token;  // of the first login
};

struct PolledMessage {
  int64_t seq = 0;
  int64_t msgId = 0;
  int64_t from = 0;
  std::string body;
  bool hasTo = false;   // a direct message carries "to"
  int64_t group = 0;    // a group message carries "group" instead
};

struct PollResult {
  int status = 0;
  std::vector<PolledMessage> messages;
  int64_t next = -1;
  std::string raw;
};

class ImClient {
 public:
  explicit ImClient(HttpClient http) : http_(std::move(http)) {}

  const HttpClient& http() const { return http_; }

  // A new user with a unique name ("<prefix>_<n>") and a logged-in token; throws on any error.
  TestUser newUser(const std::string& prefix);
  HttpResponse registerUser(const std::string& name, const std::string& password) const;
  HttpResponse login(const std::string& name, const std::string& password, const std::string& device = "") const;
  std::string loginToken(const std::string& name, const std::string& password, const std::string& device = "") const;
  HttpResponse logout(const std::string& token) const;

  HttpResponse send(const std::string& token, int64_t to, const std::string& body,
                    const std::string& clientMsgId = "") const;
  // Sends and returns msg_id; throws unless 200.
  int64_t sendOk(const std::string& token, int64_t to, const std::string& body,
                 const std::string& clientMsgId = "") const;

  PollResult poll(const std::string& token, int64_t since, int timeoutS, int limit = 0) const;
  HttpResponse history(const std::string& token, int64_t with, int64_t before = 0, int limit = 0) const;

 private:
  HttpClient http_;
};

// Status, a JSON content type, and {"error": code, "message": non-empty string}.
::testing::AssertionResult IsApiError(const HttpResponse& response, int status, const std::string& code);
// A JSON content type: application/json with charset utf-8.
::testing::AssertionResult IsJson(const HttpResponse& response);

}  // namespace im::test
