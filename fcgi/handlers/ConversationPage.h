// SPDX-License-Identifier: MIT
// ConversationPage.h - what history and search share: who may read a named conversation, and
// the {"messages", "more"} answer of a page of it.
#pragma once

#include <cstdint>

#include "fcgi/Response.h"
#include "fcgi/store/MessageRow.h"

namespace im::fcgi {

struct Services;

// A group: its members only (404 unknown, 403 otherwise); a direct conversation: with an
// existing user (404). `group` wins when both are set (the parsers allow only one).
void requireReadable(Services& services, uint64_t uid, uint64_t with, uint64_t group);

// 200 {"messages": [Message...], "more": bool}
Response renderPage(const HistoryPage& page);

}  // namespace im::fcgi
