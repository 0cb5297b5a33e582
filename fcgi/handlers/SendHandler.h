// SPDX-License-Identifier: MIT
// SendHandler.h - POST /im/send in its halves around the commit, so that WorkerLoop can commit
// the sends queued at one moment in one transaction between them (MessageStore::sendBatch).
#pragma once

#include <vector>

#include "common/Protocol.h"
#include "fcgi/Request.h"
#include "fcgi/Response.h"
#include "fcgi/store/MessageStore.h"

namespace im::fcgi {

struct Services;

// Authenticates, rate-limits and validates: the message to store. Throws ApiError.
common::Message admitSend(const Request& request, Services& services);
// After the commit: the recipients of every send that committed, notified in one go.
void announceSent(const std::vector<SendOutcome>& outcomes, Services& services);
// The 200 of a committed send.
Response answerSent(const SendResult& sent);

}  // namespace im::fcgi
