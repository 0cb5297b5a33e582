// SPDX-License-Identifier: MIT
// Handlers.h - one function per endpoint of shared/API.md, one file each (<Name>Handler.cc).
// Each runs: authenticate -> parse/validate (common/Protocol) -> store -> notify -> render.
#pragma once

#include "fcgi/Request.h"
#include "fcgi/Response.h"

namespace im::fcgi {

struct Services;

Response handleRegister(const Request& request, Services& services);
Response handleLogin(const Request& request, Services& services);
Response handleLogout(const Request& request, Services& services);
Response handleSend(const Request& request, Services& services);
Response handlePoll(const Request& request, Services& services);
Response handleHistory(const Request& request, Services& services);
Response handleOnline(const Request& request, Services& services);
Response handleCreateGroup(const Request& request, Services& services);
Response handleListGroups(const Request& request, Services& services);
Response handleGetGroup(const Request& request, Services& services);
Response handleJoinGroup(const Request& request, Services& services);
Response handleLeaveGroup(const Request& request, Services& services);
Response handleHealth(const Request& request, Services& services);
// Groups with roles (issue 11)
Response handleUpdateGroup(const Request& request, Services& services);
Response handleAddMembers(const Request& request, Services& services);
Response handleRemoveMember(const Request& request, Services& services);
Response handleSetMemberRole(const Request& request, Services& services);
Response handleTyping(const Request& request, Services& services);
Response handleSearch(const Request& request, Services& services);
// Users and conversations (issue 11)
Response handleUsers(const Request& request, Services& services);
Response handleConversations(const Request& request, Services& services);
Response handleRead(const Request& request, Services& services);

}  // namespace im::fcgi
