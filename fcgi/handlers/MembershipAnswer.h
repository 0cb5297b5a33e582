// SPDX-License-Identifier: MIT
// MembershipAnswer.h - the common end of every membership handler: after the commit, notify
// each stored membership message like a send (one notification per node each), answer 204.
#pragma once

#include "fcgi/Response.h"
#include "fcgi/Services.h"
#include "fcgi/store/MembershipStore.h"

namespace im::fcgi {

inline Response notifyAndAnswer(Services& services, const MembershipMessages& stored) {
  for (const SendResult& s : stored) services.notifier.notify(common::renderMessage(s.message), s.recipients);
  return Response::empty(204);
}

// The caller as the actor of a membership change.
inline GroupActor actorOf(const AuthSession& session) { return GroupActor{session.userId, session.username}; }

}  // namespace im::fcgi
