// SPDX-License-Identifier: MIT
// ForgetDevices.h - after im-admin revokes sessions, their devices leave the device directory,
// as on logout: a poll they hold gets no more notifications, ends at its timeout, and its
// re-poll is refused (401).
#pragma once

#include <cstdint>

#include "fcgi/Services.h"
#include "fcgi/store/AdminStore.h"

namespace im::admin {

// Every device of `uid`, or only session `sessionId`'s when non-zero.
inline void forgetDevices(fcgi::Services& services, fcgi::AdminStore& admin, uint64_t uid, uint64_t sessionId) {
  for (const fcgi::SessionRow& s : admin.sessionsOf(uid)) {
    if (sessionId == 0 || s.id == sessionId) services.devices.forget(uid, s.id);
  }
}

}  // namespace im::admin
