// SPDX-License-Identifier: MIT
// GroupApi.h - API.md "Groups" as test calls (create, PATCH, members add/remove/role, join,
// leave, get, list, group send and history) and the group timeline as a client sees it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/support/HttpClient.h"

namespace im::test {

// One message of a poll or history answer, membership fields included ("" / 0 when absent).
struct TimelineEntry {
  int64_t seq = 0;  // poll answers only
  int64_t msgId = 0;
  int64_t from = 0;
  int64_t group = 0;
  std::string body;
  std::string type;
  int64_t target = 0;
  std::string role;
  bool hasType = false, hasTarget = false, hasRole = false;
};

class GroupApi {
 public:
  explicit GroupApi(HttpClient http) : http_(std::move(http)) {}

  HttpResponse create(const TestUser& owner, const std::string& name, const std::vector<int64_t>& members,
                      std::optional<bool> isPublic = std::nullopt) const;
  int64_t createOk(const TestUser& owner, const std::string& name, const std::vector<int64_t>& members,
                   std::optional<bool> isPublic = std::nullopt) const;  // throws unless 201
  HttpResponse update(const TestUser& who, int64_t group, const std::string& body) const;
  HttpResponse addMembers(const TestUser& who, int64_t group, const std::vector<int64_t>& userIds) const;
  HttpResponse removeMember(const TestUser& who, int64_t group, int64_t userId) const;
  HttpResponse setRole(const TestUser& who, int64_t group, int64_t userId, const std::string& role) const;
  HttpResponse join(const TestUser& who, int64_t group) const;
  HttpResponse leave(const TestUser& who, int64_t group) const;
  HttpResponse get(const TestUser& who, int64_t group) const;
  HttpResponse list(const TestUser& who) const;
  HttpResponse send(const TestUser& who, int64_t group, const std::string& body) const;
  HttpResponse history(const TestUser& who, int64_t group) const;  // the newest 200

  // Short polls from `since` until nothing more; throws unless every poll is 200.
  std::vector<TimelineEntry> drain(const TestUser& who, int64_t since) const;
  // user_id -> role from GET /im/groups/{id}; throws unless 200.
  std::map<int64_t, std::string> roles(const TestUser& who, int64_t group) const;

 private:
  HttpResponse call(const std::string& method, const std::string& target, const std::string& body,
                    const TestUser& who) const;

  HttpClient http_;
};

// The "messages" array of a poll or history answer.
std::vector<TimelineEntry> parseTimeline(const std::string& body);
std::string idsJson(const std::vector<int64_t>& ids);

}  // namespace im::test
