// SPDX-License-Identifier: MIT
// HttpResponse.h - the bytes of every pushd answer: one JSON body, then the connection closes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/ApiError.h"

namespace im::net {

class HttpResponse {
 public:
  // The most bytes a head takes (status line and the three headers): 140, rounded up.
  static constexpr size_t kMaxHeadBytes = 160;

  // "HTTP/1.1 <status>" with a JSON body, Content-Length and Connection: close.
  static std::string render(int status, std::string_view jsonBody);
  // The same, built in `jsonBody`'s own buffer: no allocation when it has kMaxHeadBytes of spare
  // capacity (PollAnswer reserves them), so a poll answer costs one allocation in all.
  static std::string wrap(int status, std::string jsonBody);
  // An API.md error: its status and {"error","message"} body.
  static std::string error(common::ErrorCode code, std::string_view message);
};

}  // namespace im::net
