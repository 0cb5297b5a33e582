// SPDX-License-Identifier: MIT
// PollAnswer.h - the two ways a poll is answered by fcgi: the catch-up JSON (public poll shape)
// and the X-Accel-Redirect hand-off to pushd (docs/internals.md "The poll hand-over").
#pragma once

#include <string>
#include <vector>

#include "common/Protocol.h"
#include "fcgi/Response.h"
#include "fcgi/store/InboxStore.h"
#include "fcgi/store/SessionStore.h"

namespace im::fcgi {

// 200 {"messages":[{"seq",...}...],"next":N}; next = last seq, or `since` when empty.
Response renderPollAnswer(const std::vector<InboxEntry>& entries, uint64_t since);

// 200, no body, X-Accel-Redirect: /im-pushd/<node>/hold?uid=U&session=S&since=N&timeout=T&limit=L
Response handOffToPushd(const std::string& node, const AuthSession& session, const common::PollParams& params);

}  // namespace im::fcgi
