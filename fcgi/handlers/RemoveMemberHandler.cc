// SPDX-License-Identifier: MIT
// RemoveMemberHandler.cc - removes a member from a group (owner: anyone else; admins: members).
#include "fcgi/Auth.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"
#include "fcgi/handlers/MembershipAnswer.h"

namespace im::fcgi {

// DELETE /im/groups/{id}/members/{uid} -> 204; a member_removed message, the removed member's
// last one from the group; not a member 404.
Response handleRemoveMember(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  return notifyAndAnswer(services, services.membership.remove(request.pathId(0), actorOf(session), request.pathId(1),
                                                              services.clock.wallMs()));
}

}  // namespace im::fcgi
