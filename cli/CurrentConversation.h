// SPDX-License-Identifier: MIT
// CurrentConversation.h - where plain text goes (`:to bob`), shared by the input thread (which
// sets it) and the poller (which marks what it shows there as read). Thread safe.
#pragma once

#include <mutex>
#include <string>

#include "cli/HttpApi.h"

namespace im::cli {

class CurrentConversation {
 public:
  struct Value {
    Peer peer;
    std::string label;  // "bob" or "#ops"; "" when none
  };

  Value get() const {
    const std::lock_guard lock(mutex_);
    return value_;
  }
  void set(Value value) {
    const std::lock_guard lock(mutex_);
    value_ = std::move(value);
  }

 private:
  mutable std::mutex mutex_;
  Value value_;
};

}  // namespace im::cli
