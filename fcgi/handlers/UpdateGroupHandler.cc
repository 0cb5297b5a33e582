// SPDX-License-Identifier: MIT
// UpdateGroupHandler.cc - renames a group or makes it public/private (owner and admins).
#include "common/GroupProtocol.h"
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"
#include "fcgi/handlers/MembershipAnswer.h"

namespace im::fcgi {

// PATCH /im/groups/{id} {"name"?, "public"?} -> 204; a group_updated message when anything changed.
Response handleUpdateGroup(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto change = common::parseUpdateGroupRequest(request.body());
  return notifyAndAnswer(services, services.membership.update(request.pathId(), actorOf(session), change,
                                                              services.clock.wallMs()));
}

}  // namespace im::fcgi
