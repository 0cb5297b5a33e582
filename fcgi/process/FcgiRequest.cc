// SPDX-License-Identifier: MIT
// FcgiRequest.cc - libfcgi calls for one worker's request object.
#include "fcgi/process/FcgiRequest.h"

namespace im::fcgi {

// FCGI_FAIL_ACCEPT_ON_INTR: a signal (SIGTERM) makes accept return instead of retrying.
FcgiRequest::FcgiRequest(int listenFd) { FCGX_InitRequest(&request_, listenFd, FCGI_FAIL_ACCEPT_ON_INTR); }

FcgiRequest::~FcgiRequest() {
  finish();
  FCGX_Free(&request_, 1);
}

bool FcgiRequest::accept() {
  inRequest_ = FCGX_Accept_r(&request_) >= 0;
  return inRequest_;
}

void FcgiRequest::finish() {
  if (!inRequest_) return;
  FCGX_Finish_r(&request_);
  inRequest_ = false;
}

}  // namespace im::fcgi
