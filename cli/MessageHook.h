// SPDX-License-Identifier: MIT
// MessageHook.h - `--on-message CMD`: runs CMD through /bin/sh once per received message, with
// the message's JSON (one line) on its stdin, and waits for it, so hooks see messages in order.
#pragma once

#include <string>

namespace im::cli {

class MessageHook {
 public:
  explicit MessageHook(std::string command) : command_(std::move(command)) {}

  // The command's exit status (128 + signal if killed); -1 if it could not be started.
  int run(const std::string& json) const;

 private:
  std::string command_;
};

}  // namespace im::cli
