// SPDX-License-Identifier: MIT
// PollReply.cc - the catch-up answer through the shared renderer, and the hand-over header.
#include "fcgi/PollReply.h"

#include "common/HoldRequest.h"
#include "common/Log.h"
#include "common/PollAnswer.h"

namespace im::fcgi {

// Each message goes through the text pushd receives in a notification (renderMessage, then
// "seq" put in front), so a catch-up answer and a pushed one are the same bytes.
Response renderPollAnswer(const std::vector<InboxEntry>& entries, uint64_t since) {
  std::string body;
  common::PollAnswer answer(body);
  for (const auto& e : entries) answer.message(common::renderMessage(e.message), e.seq);
  answer.finish(entries.empty() ? since : entries.back().seq);
  return Response::json(200, std::move(body));
}

Response handOffToPushd(const std::string& node, const std::string& socket, const AuthSession& session,
                        const common::PollParams& params) {
  const common::HoldRequest hold{.uid = session.userId,
                                 .session = std::to_string(session.sessionId),
                                 .since = params.since,
                                 .timeoutS = static_cast<uint32_t>(params.timeout),
                                 .limit = static_cast<uint32_t>(params.limit),
                                 .req = common::requestId()};  // nginx's id: pushd logs it too
  const std::string target = (socket.empty() ? kPushdLocation + node : kPushdUnixLocation + node + socket) +
                             std::string(common::HoldRequest::kPath) + "?" + hold.encode();
  return Response::empty(200).header("X-Accel-Redirect", target);
}

}  // namespace im::fcgi
