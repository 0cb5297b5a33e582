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
namespace {

// The session written to Redis (its node, "" when Redis or every node is down) and whether the
// last seq hint, read in the same pipeline after that write, says nothing is newer than since.
struct Recorded {
  std::string node;
  bool caughtUp = false;
};

Recorded record(const Request& request, Services& services, const AuthSession& session, uint64_t since,
                bool askHint) {
  Recorded out;
  try {
    if (!request.failedNode().empty()) services.nodes.markDead(request.failedNode());  // failover
    out.node = services.nodes.nodeFor(session.userId);
    const auto hint = services.presence.recordPoll(session.userId, session.sessionId, out.node,
                                                   askHint ? services.hints.readCommand(session.userId)
                                                           : std::vector<std::string>{});
    out.caughtUp = askHint && services.hints.parse(hint) == since;
  } catch (const common::ApiError&) {
    out = Recorded{};  // Redis down: degrade to short polling, never hold a worker
  }
  return out;
}

}  // namespace

// GET /im/poll?since=&timeout=&limit= -> 200 {"messages", "next"}, or a hand-off to pushd
// (X-Accel-Redirect). The session is written to Redis BEFORE the inbox (or the hint) is read,
// so a send that commits in between still finds this device's node (no lost wake-up). nginx
// re-enters here with Request::failedNode() when the chosen node is dead; the poll then moves.
// A cached token and a hint equal to since (docs/internals.md "Re-poll hint") skip MySQL: the
// hint is read in the pipeline that records the session, so such a re-poll costs two Redis
// round trips (token, record) and nothing else. Otherwise a since beyond the mailbox is 400
// before anything is written to MySQL.
Response handlePoll(const Request& request, Services& services) {
  auto session = authenticate(request, services);
  const auto p = common::parsePollParams(request.query(), services.config.poll.defaultTimeout,
                                         services.config.poll.maxTimeout);
  if (session.seqsRead) common::checkSince(p.since, session.lastSeq);
  const bool cached = !session.seqsRead;
  const Recorded at = record(request, services, session, p.since, cached);
  if (cached && !at.caughtUp) {  // something newer, no hint, or Redis down: MySQL says what
    session = authenticateInMysql(request, services);
    common::checkSince(p.since, session.lastSeq);
  }
  // Queued, not written: the worker writes its polls' acknowledgements in batches (AckQueue).
  const int64_t liveAfter = services.clock.wallMs() - idleLimitMs(services.config);
  if (!session.seqsRead || p.since > session.ackedSeq) {
    const uint64_t after = session.seqsRead ? session.ackedSeq : InboxAck::kAfterStored;
    services.acks.add({session.sessionId, session.userId, after, p.since}, liveAfter);
  }
  const auto entries = at.caughtUp ? std::vector<InboxEntry>{} : services.inbox.read(session.userId, p.since, p.limit);
  if (entries.empty() && p.timeout > 0 && !at.node.empty()) return handOffToPushd(at.node, session, p);
  Response answer = renderPollAnswer(entries, p.since);
  if (at.node.empty()) answer.header("Retry-After", "1");  // no live node or no Redis: poll again soon
  return answer;
}

}  // namespace im::fcgi
