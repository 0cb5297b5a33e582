// SPDX-License-Identifier: MIT
// Directory.h - names <-> ids for users and groups, cached, looked up through the API when
// unknown (GET /im/users?prefix=, GET /im/groups). Thread safe (a mutex around the caches);
// each caller passes its own thread's HttpApi.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "cli/HttpApi.h"

namespace im::cli {

class Directory {
 public:
  void rememberUser(uint64_t id, const std::string& name);
  void rememberGroup(uint64_t id, const std::string& name);

  // "bob", or "user 5" when the name cannot be learnt.
  std::string userName(uint64_t id, HttpApi& api);
  // "ops", or "7" when the group is not one of the caller's.
  std::string groupName(uint64_t id, HttpApi& api);

  // Exact name -> id. Throws ApiFailure 404 for an unknown user.
  uint64_t userId(const std::string& name, HttpApi& api);
  // "7" -> 7; "ops" -> the id of the caller's group named ops. Throws ApiFailure 404.
  uint64_t groupId(const std::string& nameOrNumber, HttpApi& api);

  // Reads GET /im/groups into the cache; its JSON for the caller to show.
  JsonPtr refreshGroups(HttpApi& api);

 private:
  std::mutex mutex_;
  std::map<uint64_t, std::string> userNames_;
  std::map<std::string, uint64_t> userIds_;
  std::map<uint64_t, std::string> groupNames_;
  std::set<uint64_t> unknownUsers_, unknownGroups_;  // looked up once, in vain
};

}  // namespace im::cli
