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

// The nginx locations that proxy a hand-over to a node (nginx/im.locations.conf): over TCP to
// its host:port, or over its unix socket when nginx shares the node's host (fcgi/NodeSockets).
inline constexpr const char* kPushdLocation = "/im-pushd/";
inline constexpr const char* kPushdUnixLocation = "/im-pushd-unix/";

// 200 {"messages":[{"seq",...}...],"events":[],"next":N}; next = last seq, or `since` when
// empty. Events only ever reach held polls, so a catch-up answer has none.
Response renderPollAnswer(const std::vector<InboxEntry>& entries, uint64_t since);

// 200, no body, X-Accel-Redirect: /im-pushd/<node>/hold?uid=U&session=S&since=N&timeout=T&limit=L,
// or /im-pushd-unix/<node><socket>/hold?... when `socket` (an absolute path) is not "".
Response handOffToPushd(const std::string& node, const std::string& socket, const AuthSession& session,
                        const common::PollParams& params);

}  // namespace im::fcgi
