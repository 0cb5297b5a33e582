// SPDX-License-Identifier: MIT
// FcgiRequest.h - the RAII owner of the worker's FCGX_Request: init on the shared listen
// socket, accept/finish per request, free in the destructor.
#pragma once

#include <fcgiapp.h>

namespace im::fcgi {

class FcgiRequest {
 public:
  explicit FcgiRequest(int listenFd);
  ~FcgiRequest();
  FcgiRequest(const FcgiRequest&) = delete;
  FcgiRequest& operator=(const FcgiRequest&) = delete;

  // Takes the next queued request (the socket is non-blocking: fcgi/process/ListenWait); false
  // when none is queued, when interrupted (shutdown) or on error.
  bool accept();
  // Flushes and closes the current request.
  void finish();
  FCGX_Request& raw() { return request_; }

 private:
  FCGX_Request request_{};
  bool inRequest_ = false;
};

}  // namespace im::fcgi
