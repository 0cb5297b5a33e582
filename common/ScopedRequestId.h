// SPDX-License-Identifier: MIT
// ScopedRequestId.h - sets this thread's log request id (common/Log) for one scope, then clears
// it: pushd's loop thread serves many polls, each line about one carries that poll's id only.
#pragma once

#include <string_view>

#include "common/Log.h"

namespace im::common {

class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string_view id) { setRequestId(id); }
  ~ScopedRequestId() { setRequestId({}); }
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;
};

}  // namespace im::common
