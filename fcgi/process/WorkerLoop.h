// SPDX-License-Identifier: MIT
// WorkerLoop.h - one worker process: accept -> Request -> Router -> Response, up to
// fcgi.max_requests times. The ONLY place that catches ApiError and writes the error body.
#pragma once

#include "fcgi/CorsPolicy.h"
#include "fcgi/Router.h"
#include "fcgi/Services.h"

namespace im::fcgi {

class WorkerLoop {
 public:
  WorkerLoop(int listenFd, Services& services)
      : listenFd_(listenFd), services_(services), cors_(services.config.http.allowedOrigins) {}
  WorkerLoop(const WorkerLoop&) = delete;
  WorkerLoop& operator=(const WorkerLoop&) = delete;

  // Installs the SIGTERM/SIGINT handler and serves until stopped or recycled.
  // Returns the number of requests served.
  int run();

  // Turns one request into a response, catching every exception (no I/O; tests call it).
  // Cross-origin requests are judged first (CorsPolicy).
  Response serve(Request& request);

 private:
  Response handleOne(FCGX_Request& raw);
  Response route(Request& request, CorsPolicy::Verdict cors);

  const int listenFd_;
  Services& services_;
  const Router router_;
  const CorsPolicy cors_;
};

// Set by SIGTERM/SIGINT in a worker: finish the request in hand, then exit.
bool workerStopRequested();
void installWorkerSignalHandlers();

}  // namespace im::fcgi
