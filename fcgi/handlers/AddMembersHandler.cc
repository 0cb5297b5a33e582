// SPDX-License-Identifier: MIT
// AddMembersHandler.cc - adds members to a group (owner and admins).
#include "common/GroupProtocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"
#include "fcgi/handlers/MembershipAnswer.h"

namespace im::fcgi {

// POST /im/groups/{id}/members {"user_ids": [uid...]} -> 204; a member_added message per new
// member (already a member: nothing); unknown user 404; over 2000 members 409.
Response handleAddMembers(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto req = common::parseAddMembersRequest(request.body());
  return notifyAndAnswer(services, services.membership.add(request.pathId(), actorOf(session), req.userIds,
                                                           services.clock.wallMs()));
}

}  // namespace im::fcgi
