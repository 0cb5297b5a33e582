// SPDX-License-Identifier: MIT
// NotificationBatch.h - the notifications one BLMPOP of RedisInbox returned, decoded, and when
// its reply was read: the start of the push leg that /stats times (Answer::pushStartUs).
#pragma once

#include <cstdint>
#include <vector>

#include "common/Notification.h"

namespace im::pushd {

struct NotificationBatch {
  std::vector<common::Notification> notifications;
  int64_t readUs = 0;  // Stats::nowUs() right after the reply was parsed, before decoding
};

}  // namespace im::pushd
