// SPDX-License-Identifier: MIT
// SendHandler.h - POST /im/send in its two halves around the commit, so that WorkerLoop can
// commit the sends queued at one moment in one transaction between them (fcgi/process/SendGather).
#pragma once

#include "common/Protocol.h"
#include "fcgi/Request.h"
#include "fcgi/Response.h"
#include "fcgi/store/MessageStore.h"

namespace im::fcgi {

struct Services;

// Authenticates, rate-limits and validates: the message to store. Throws ApiError.
common::Message admitSend(const Request& request, Services& services);
// After the commit: notifies the recipients, renders the 200.
Response answerSend(const SendResult& sent, Services& services);

}  // namespace im::fcgi
