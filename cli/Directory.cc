// SPDX-License-Identifier: MIT
// Directory.cc - the lookups. Network calls run without the mutex held, so a slow call on one
// thread never stalls the other's cached lookups.
#include "cli/Directory.h"

#include <Poco/JSON/Array.h>

#include "cli/ApiFailure.h"

namespace im::cli {
namespace {

bool isNumber(const std::string& s) {
  return !s.empty() && s.size() <= 20 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

void Directory::rememberUser(uint64_t id, const std::string& name) {
  const std::lock_guard lock(mutex_);
  userNames_[id] = name;
  userIds_[name] = id;
}

void Directory::rememberGroup(uint64_t id, const std::string& name) {
  const std::lock_guard lock(mutex_);
  groupNames_[id] = name;
}

std::string Directory::userName(uint64_t id, HttpApi& api) {
  {
    const std::lock_guard lock(mutex_);
    if (auto it = userNames_.find(id); it != userNames_.end()) return it->second;
    // Asked once already and not learnt: do not ask the server again for every message.
    if (!unknownUsers_.insert(id).second) return "user " + std::to_string(id);
  }
  // No id -> name endpoint: the conversation list names every peer.
  try {
    const auto list = api.conversations(200)->getArray("conversations");
    for (size_t i = 0; list && i < list->size(); ++i) {
      const auto c = list->getObject(static_cast<unsigned>(i));
      if (c->has("with")) rememberUser(c->getValue<uint64_t>("with"), c->getValue<std::string>("name"));
    }
  } catch (const std::exception&) {
    // An older server, or a network error: the id is shown instead.
  }
  const std::lock_guard lock(mutex_);
  if (auto it = userNames_.find(id); it != userNames_.end()) return it->second;
  return "user " + std::to_string(id);
}

std::string Directory::groupName(uint64_t id, HttpApi& api) {
  {
    const std::lock_guard lock(mutex_);
    if (auto it = groupNames_.find(id); it != groupNames_.end()) return it->second;
    if (!unknownGroups_.insert(id).second) return std::to_string(id);  // e.g. a group we left
  }
  try {
    refreshGroups(api);
  } catch (const std::exception&) {
    // Shown by number.
  }
  const std::lock_guard lock(mutex_);
  if (auto it = groupNames_.find(id); it != groupNames_.end()) return it->second;
  return std::to_string(id);
}

uint64_t Directory::userId(const std::string& name, HttpApi& api) {
  {
    const std::lock_guard lock(mutex_);
    if (auto it = userIds_.find(name); it != userIds_.end()) return it->second;
  }
  JsonPtr answer;
  try {
    answer = api.users(name, 1);  // the exact name sorts first among those it prefixes
  } catch (const ApiFailure& e) {
    if (e.status() == 400) throw ApiFailure(404, "not_found", "no user named " + name);
    if (!e.missingEndpoint()) throw;
    answer = api.online();  // a server without GET /im/users: only online users can be named
  }
  const auto users = answer->getArray("users");
  for (size_t i = 0; users && i < users->size(); ++i) {
    const auto u = users->getObject(static_cast<unsigned>(i));
    if (u->getValue<std::string>("username") == name) {
      rememberUser(u->getValue<uint64_t>("user_id"), name);
      return u->getValue<uint64_t>("user_id");
    }
  }
  throw ApiFailure(404, "not_found", "no user named " + name);
}

uint64_t Directory::groupId(const std::string& nameOrNumber, HttpApi& api) {
  if (isNumber(nameOrNumber)) return std::stoull(nameOrNumber);
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      const std::lock_guard lock(mutex_);
      for (const auto& [id, name] : groupNames_) {
        if (name == nameOrNumber) return id;
      }
    }
    if (attempt == 0) refreshGroups(api);
  }
  throw ApiFailure(404, "not_found", "you are in no group named " + nameOrNumber + " (a group's number works too: #7)");
}

JsonPtr Directory::refreshGroups(HttpApi& api) {
  auto answer = api.groups();
  const auto groups = answer->getArray("groups");
  for (size_t i = 0; groups && i < groups->size(); ++i) {
    const auto g = groups->getObject(static_cast<unsigned>(i));
    rememberGroup(g->getValue<uint64_t>("group_id"), g->getValue<std::string>("name"));
  }
  return answer;
}

}  // namespace im::cli
