// SPDX-License-Identifier: MIT
// JoinGroupHandler.cc - joins a public group.
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"
#include "fcgi/handlers/MembershipAnswer.h"

namespace im::fcgi {

// POST /im/groups/{id}/join -> 204 and a member_joined message (already a member: nothing);
// private group 403; full 409; unknown group 404.
Response handleJoinGroup(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  return notifyAndAnswer(services, services.membership.join(request.pathId(), actorOf(session),
                                                            services.clock.wallMs()));
}

}  // namespace im::fcgi
