// SPDX-License-Identifier: MIT
// ServiceNotify.cc - the one caller of sd_notify.
#include "common/ServiceNotify.h"

#include <systemd/sd-daemon.h>

#include <string>

namespace im::common {

void notifyReady(std::string_view status) {
  const std::string message = "READY=1\nSTATUS=" + std::string(status);
  sd_notify(0, message.c_str());  // < 0: no socket or a refused datagram; readiness is advisory here
}

void notifyReloading() { sd_notify(0, "RELOADING=1"); }

void notifyStopping() { sd_notify(0, "STOPPING=1"); }

}  // namespace im::common
