// SPDX-License-Identifier: MIT
// WorkerLoop.h - one worker process: accept -> Request -> Router -> Response, up to
// fcgi.max_requests times. A send in hand takes the sends queued behind it along, and they
// commit in one transaction. The ONLY place that catches ApiError and writes the error body.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fcgi/CorsPolicy.h"
#include "fcgi/Router.h"
#include "fcgi/Services.h"
#include "fcgi/process/FcgiRequest.h"

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
  // One request in hand: its FastCGI slot, its route and when it was accepted.
  struct InHand {
    FcgiRequest* fcgi = nullptr;
    int route = -1;
    int64_t startedUs = 0;
    std::string requestId;
  };
  // A send admitted (authenticated, validated) and waiting for the commit of the batch.
  struct HeldSend {
    InHand hand;
    Request request;
    bool corsAllowed = false;
    common::Message message;
  };

  int serveQueued();
  bool takeOne(FcgiRequest& fcgi);
  void commitHeld();
  template <typename Work>
  Response guarded(const Request& request, Work&& work);
  int routeOf(FCGX_Request& raw) const;
  void answer(const InHand& hand, const Response& response);
  void account(int route, const Response& response, int64_t micros);

  const int listenFd_;
  Services& services_;
  const Router router_;
  const CorsPolicy cors_;
  std::vector<std::unique_ptr<FcgiRequest>> slots_;  // fcgi.send_batch requests can be in hand
  std::vector<HeldSend> held_;                       // the sends in hand, not yet committed
};

// Set by SIGTERM/SIGINT in a worker: finish the request in hand, then exit.
bool workerStopRequested();
void installWorkerSignalHandlers();

}  // namespace im::fcgi
