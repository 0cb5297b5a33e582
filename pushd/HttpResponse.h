// SPDX-License-Identifier: MIT
// HttpResponse.h - the bytes of every pushd answer: one JSON body, then the connection closes.
#pragma once

#include <string>
#include <string_view>

#include "common/ApiError.h"

namespace im::pushd {

class HttpResponse {
 public:
  // "HTTP/1.1 <status>" with a JSON body, Content-Length and Connection: close.
  static std::string render(int status, std::string_view jsonBody);
  // An API.md error: its status and {"error","message"} body.
  static std::string error(common::ErrorCode code, std::string_view message);
};

}  // namespace im::pushd
