// SPDX-License-Identifier: MIT
// ServiceNotify.h - readiness for systemd's Type=notify (deploy/systemd/) through libsystemd's
// sd_notify. Without NOTIFY_SOCKET (./im up, a terminal) every call does nothing.
#pragma once

#include <string_view>

namespace im::common {

// READY=1 with a one-line STATUS= for `systemctl status`: the process now serves.
void notifyReady(std::string_view status);
// RELOADING=1 (SIGHUP taken); notifyReady() again once the new config serves.
void notifyReloading();
// STOPPING=1: shutdown began.
void notifyStopping();

}  // namespace im::common
