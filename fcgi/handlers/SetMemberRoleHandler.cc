// SPDX-License-Identifier: MIT
// SetMemberRoleHandler.cc - makes a member an admin or an admin a member (the owner only).
#include "common/GroupProtocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"
#include "fcgi/handlers/MembershipAnswer.h"

namespace im::fcgi {

// PATCH /im/groups/{id}/members/{uid} {"role": "admin"|"member"} -> 204; a role_changed message
// when the role changed; not a member 404.
Response handleSetMemberRole(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto req = common::parseSetRoleRequest(request.body());
  return notifyAndAnswer(services, services.membership.setRole(request.pathId(0), actorOf(session),
                                                               request.pathId(1), req.role, services.clock.wallMs()));
}

}  // namespace im::fcgi
