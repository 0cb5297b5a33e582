// SPDX-License-Identifier: MIT
// PollReply.h - the two ways fcgi answers a poll: the catch-up JSON (common/PollAnswer, the
// public poll shape) and the X-Accel-Redirect hand-over to pushd (common/HoldRequest;
// docs/internals.md "The poll hand-over").
#pragma once

#include <string>
#include <vector>

#include "common/Protocol.h"
#include "fcgi/Response.h"
#include "fcgi/store/InboxStore.h"
#include "fcgi/store/SessionStore.h"

namespace im::fcgi {

// The nginx location that proxies a hand-over to a node (nginx/im.locations.conf).
inline constexpr const char* kPushdLocation = "/im-pushd/";

// 200 {"messages":[{"seq",...}...],"events":[],"next":N}; next = last seq, or `since` when
// empty. Events only ever reach held polls, so a catch-up answer has none.
Response renderPollAnswer(const std::vector<InboxEntry>& entries, uint64_t since);

// 200, no body, X-Accel-Redirect: /im-pushd/<node>/hold?uid=U&session=S&since=N&timeout=T&limit=L
Response handOffToPushd(const std::string& node, const AuthSession& session, const common::PollParams& params);

}  // namespace im::fcgi
