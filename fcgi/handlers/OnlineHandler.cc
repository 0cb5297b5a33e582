// SPDX-License-Identifier: MIT
// OnlineHandler.cc - users whose devices polled within the presence window.
#include <map>

#include "common/Protocol.h"
#include "common/Time.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/online -> 200 {"users": [{"user_id", "username", "last_seen"}]}
Response handleOnline(const Request& request, Services& services) {
  authenticate(request, services);
  const auto seen = services.presence.online();
  std::vector<uint64_t> ids;
  for (const auto& [uid, ms] : seen) ids.push_back(uid);
  std::map<uint64_t, std::string> names;
  if (!ids.empty()) {
    for (auto& [uid, name] : services.users.usernames(ids)) names.emplace(uid, std::move(name));
  }
  common::JsonWriter w;
  w.beginObject().key("users").beginArray();
  for (const auto& [uid, ms] : seen) {
    const auto it = names.find(uid);
    if (it == names.end()) continue;  // a stale entry for a user that no longer exists
    w.beginObject().key("user_id").number(uid).key("username").string(it->second);
    w.key("last_seen").string(common::formatRfc3339(ms)).endObject();
  }
  w.endArray().endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
