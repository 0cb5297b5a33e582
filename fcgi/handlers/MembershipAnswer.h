// SPDX-License-Identifier: MIT
// MembershipAnswer.h - the common end of every membership handler: after the commit, notify
// the stored membership messages like sends (fcgi/handlers/Announce), answer 204.
#pragma once

#include "fcgi/Response.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Announce.h"
#include "fcgi/store/MembershipStore.h"

namespace im::fcgi {

inline Response notifyAndAnswer(Services& services, const MembershipMessages& stored) {
  announce(services, stored);
  return Response::empty(204);
}

// The caller as the actor of a membership change.
inline GroupActor actorOf(const AuthSession& session) { return GroupActor{session.userId, session.username}; }

}  // namespace im::fcgi
