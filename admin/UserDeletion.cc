// SPDX-License-Identifier: MIT
// UserDeletion.cc - the steps of users delete; SQL in fcgi/store, membership through
// MembershipStore::leave (the same messages and succession as POST /im/groups/{id}/leave).
#include "admin/UserDeletion.h"

#include <stdexcept>

#include "admin/ForgetDevices.h"
#include "admin/SessionRevocation.h"
#include "common/Json.h"
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Crypto.h"
#include "fcgi/handlers/Announce.h"

namespace im::admin {
namespace {

constexpr uint64_t kInboxBatch = 1000;  // rows per DELETE: short row locks

}  // namespace

void UserDeletion::run(const std::string& username) {
  const auto user = services_.users.findByName(username);
  if (!user) throw std::runtime_error("no such user: " + username);
  const auto& auth = services_.config.auth;
  const std::string nobodysPassword = fcgi::hashPassword(fcgi::newToken(), auth.argon2Ops, auth.argon2MemKib);
  fcgi::AdminStore sessions(services_.db);
  const fcgi::UserDeletionStore::Marked marked = revokeBetweenTombstones(services_, sessions, user->id, 0, [&] {
    return deletion_.markDeleted(user->id, nobodysPassword, services_.clock.wallMs());
  });
  forgetDevices(services_, sessions, user->id, 0);
  const GroupsLeft groups = leaveGroups(user->id, username);
  const uint64_t inbox = dropInbox(user->id);
  const uint64_t conversations = deletion_.dropConversations(user->id);

  common::JsonWriter w;
  w.beginObject().key("id").number(user->id).key("username").string(username).key("already_deleted").boolean(!marked.marked);
  w.key("sessions_revoked").number(marked.sessionsRevoked).key("groups_left").number(groups.left);
  w.key("ownership_passed_on").beginArray();
  for (const uint64_t g : groups.handedOver) w.number(g);
  w.endArray().key("inbox_rows_deleted").number(inbox).key("conversations_deleted").number(conversations);
  w.key("messages").string("kept").endObject();
  std::string text = (marked.marked ? "deleted " : "finished deleting ") + username + " (id " + std::to_string(user->id) +
                     "): " + std::to_string(marked.sessionsRevoked) + " sessions revoked, left " +
                     std::to_string(groups.left) + " groups";
  if (!groups.handedOver.empty()) text += " (" + std::to_string(groups.handedOver.size()) + " passed to a successor)";
  text += ", " + std::to_string(inbox) + " inbox rows deleted; the messages stay in the others' history";
  output_.done(text, w.take());
}

UserDeletion::GroupsLeft UserDeletion::leaveGroups(uint64_t uid, const std::string& username) {
  GroupsLeft out;
  for (const uint64_t groupId : groups_.groupsOf(uid)) {
    const fcgi::MembershipMessages stored =
        services_.membership.leave(groupId, fcgi::GroupActor{uid, username}, services_.clock.wallMs());
    fcgi::announce(services_, stored);
    for (const fcgi::SendResult& s : stored) {
      if (s.message.type == common::MessageType::RoleChanged) out.handedOver.push_back(groupId);
    }
    ++out.left;
  }
  return out;
}

uint64_t UserDeletion::dropInbox(uint64_t uid) {
  uint64_t total = 0;
  for (uint64_t n = kInboxBatch; n == kInboxBatch; total += n) n = deletion_.dropInbox(uid, kInboxBatch);
  return total;
}

}  // namespace im::admin
