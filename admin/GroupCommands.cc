// SPDX-License-Identifier: MIT
// GroupCommands.cc - SQL in fcgi/store (AdminGroupStore, MembershipStore::transfer).
#include "admin/GroupCommands.h"

#include <regex>
#include <stdexcept>

#include "common/Json.h"
#include "common/Protocol.h"
#include "common/Time.h"
#include "fcgi/handlers/Announce.h"

namespace im::admin {
namespace {

constexpr uint64_t kPage = 1000;  // groups per query of `groups list`

std::string when(int64_t ms) { return ms == 0 ? "-" : common::formatRfc3339(ms); }

void writeGroup(common::JsonWriter& w, const fcgi::AdminGroupRow& g) {
  w.key("id").number(g.id).key("name").string(g.name).key("public").boolean(g.isPublic);
  w.key("members").number(g.members).key("owner");
  if (g.ownerId == 0) w.null();
  else w.beginObject().key("id").number(g.ownerId).key("username").string(g.owner).endObject();
  w.key("created_at").string(when(g.createdMs));
}

std::string groupLine(const fcgi::AdminGroupRow& g) {
  return std::to_string(g.id) + "\t" + g.name + "\t" + (g.isPublic ? "public" : "private") + "\t" +
         std::to_string(g.members) + "\t" + (g.ownerId == 0 ? "-" : g.owner) + "\t" + when(g.createdMs);
}

}  // namespace

uint64_t GroupCommands::groupIdOf(const std::string& id) {
  if (!std::regex_match(id, std::regex("[1-9][0-9]{0,18}"))) throw std::runtime_error("a group id is a number");
  const uint64_t groupId = std::stoull(id);
  if (!groups_.find(groupId)) throw std::runtime_error("no such group: " + id);
  return groupId;
}

void GroupCommands::list() {
  std::string text = "id\tname\tvisibility\tmembers\towner\tcreated";
  common::JsonWriter w;
  w.beginArray();
  for (auto page = groups_.page(0, kPage); !page.empty(); page = groups_.page(page.back().id, kPage)) {
    for (const auto& g : page) {
      text += "\n" + groupLine(g);
      w.beginObject();
      writeGroup(w, g);
      w.endObject();
    }
    if (page.size() < kPage) break;
  }
  w.endArray();
  output_.done(text, w.take());
}

void GroupCommands::show(const std::string& id) {
  const uint64_t groupId = groupIdOf(id);
  const fcgi::AdminGroupRow g = *groups_.find(groupId);
  std::string text = "id\tname\tvisibility\tmembers\towner\tcreated\n" + groupLine(g) + "\n\nuser_id\tusername\trole\tjoined";
  common::JsonWriter w;
  w.beginObject();
  writeGroup(w, g);
  w.key("member_list").beginArray();
  for (const auto& m : groups_.members(groupId)) {
    text += "\n" + std::to_string(m.userId) + "\t" + m.username + "\t" + m.role + "\t" + when(m.joinedMs);
    w.beginObject().key("id").number(m.userId).key("username").string(m.username).key("role").string(m.role);
    w.key("joined_at").string(when(m.joinedMs)).endObject();
  }
  w.endArray().endObject();
  output_.done(text, w.take());
}

void GroupCommands::transfer(const std::string& id, const std::string& username) {
  const uint64_t groupId = groupIdOf(id);
  const auto user = services_.users.findByName(username);
  if (!user) throw std::runtime_error("no such user: " + username);
  const fcgi::MembershipMessages stored = services_.membership.transfer(groupId, user->id, services_.clock.wallMs());
  fcgi::announce(services_, stored);
  common::JsonWriter w;
  w.beginObject().key("group").number(groupId).key("owner").string(username).key("changed").boolean(!stored.empty());
  w.endObject();
  output_.done(stored.empty() ? username + " already owns group " + id : username + " now owns group " + id + " (the previous owner is an admin)",
               w.take());
}

}  // namespace im::admin
