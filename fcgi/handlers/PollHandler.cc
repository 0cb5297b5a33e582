// SPDX-License-Identifier: MIT
// PollHandler.cc - the catch-up half of a long poll; the waiting half is handed to pushd.
#include "common/ApiError.h"
#include "common/Log.h"
#include "common/PollCursor.h"
#include "common/Protocol.h"
#include "fcgi/Auth.h"
#include "fcgi/PollReply.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"

namespace im::fcgi {

// GET /im/poll?since=&timeout=&limit= -> 200 {"messages", "next"}, or a hand-off to pushd
// (X-Accel-Redirect). The session is written to Redis BEFORE the inbox is read, so a send
// that commits in between still finds this device's node (no lost wake-up). nginx re-enters
// here with Request::failedNode() when the chosen node is dead; the poll then moves to a live one.
// A since beyond the mailbox (its last seq came with the session) is 400 before anything is written.
Response handlePoll(const Request& request, Services& services) {
  const auto session = authenticate(request, services);
  const auto p = common::parsePollParams(request.query(), services.config.poll.defaultTimeout,
                                         services.config.poll.maxTimeout);
  common::checkSince(p.since, session.lastSeq);
  std::string node;
  try {
    if (!request.failedNode().empty()) services.nodes.markDead(request.failedNode());  // failover
    node = services.nodes.nodeFor(session.userId);
    services.presence.recordPoll(session.userId, session.sessionId, node);
  } catch (const common::ApiError&) {
    node.clear();  // Redis down: degrade to short polling, never hold a worker
  }
  // Queued, not written: the worker writes its polls' acknowledgements in batches (AckQueue).
  const int64_t liveAfter = services.clock.wallMs() - idleLimitMs(services.config);
  if (p.since > session.ackedSeq) {
    services.acks.add({session.sessionId, session.userId, session.ackedSeq, p.since}, liveAfter);
  }
  const auto entries = services.inbox.read(session.userId, p.since, p.limit);
  if (entries.empty() && p.timeout > 0 && !node.empty()) return handOffToPushd(node, session, p);
  Response answer = renderPollAnswer(entries, p.since);
  if (node.empty()) answer.header("Retry-After", "1");  // no live node or no Redis: poll again soon
  return answer;
}

}  // namespace im::fcgi
