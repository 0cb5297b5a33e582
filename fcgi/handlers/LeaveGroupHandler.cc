// SPDX-License-Identifier: MIT
// LeaveGroupHandler.cc - leaves a group; the owner's leave passes ownership on.
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"
#include "fcgi/handlers/MembershipAnswer.h"

namespace im::fcgi {

// POST /im/groups/{id}/leave -> 204 and a member_left message, after a role_changed to the new
// owner when the owner leaves (not a member: nothing); unknown group 404.
Response handleLeaveGroup(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  return notifyAndAnswer(services, services.membership.leave(request.pathId(), actorOf(session),
                                                             services.clock.wallMs()));
}

}  // namespace im::fcgi
