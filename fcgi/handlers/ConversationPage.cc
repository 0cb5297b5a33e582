// SPDX-License-Identifier: MIT
// ConversationPage.cc - the read check and the page answer of history and search.
#include "fcgi/handlers/ConversationPage.h"

#include "common/ApiError.h"
#include "fcgi/Services.h"

namespace im::fcgi {

void requireReadable(Services& services, uint64_t uid, uint64_t with, uint64_t group) {
  if (group != 0) {
    services.groups.requireMember(group, uid);
  } else if (!services.users.exists(with)) {
    throw common::ApiError(common::ErrorCode::NotFound, "No such user.");
  }
}

Response renderPage(const HistoryPage& page) {
  common::JsonWriter w;
  w.beginObject().key("messages").beginArray();
  for (const auto& m : page.messages) common::renderMessage(w, m);
  w.endArray().key("more").boolean(page.more).endObject();
  return Response::json(200, w.take());
}

}  // namespace im::fcgi
