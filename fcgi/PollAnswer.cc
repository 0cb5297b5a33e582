// SPDX-License-Identifier: MIT
// PollAnswer.cc - rendering of the poll answer and of the hand-off header.
#include "fcgi/PollAnswer.h"

namespace im::fcgi {

Response renderPollAnswer(const std::vector<InboxEntry>& entries, uint64_t since) {
  common::JsonWriter w;
  w.beginObject().key("messages").beginArray();
  for (const auto& e : entries) common::renderMessage(w, e.message, e.seq);
  w.endArray().key("next").number(entries.empty() ? since : entries.back().seq).endObject();
  return Response::json(200, w.take());
}

Response handOffToPushd(const std::string& node, const AuthSession& session, const common::PollParams& params) {
  const std::string target = "/im-pushd/" + node + "/hold?uid=" + std::to_string(session.userId) +
                             "&session=" + std::to_string(session.sessionId) + "&since=" +
                             std::to_string(params.since) + "&timeout=" + std::to_string(params.timeout) +
                             "&limit=" + std::to_string(params.limit);
  return Response::empty(200).header("X-Accel-Redirect", target);
}

}  // namespace im::fcgi
