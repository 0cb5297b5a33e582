// SPDX-License-Identifier: MIT
// WorkerLoop.cc - the accept loop and the one exception -> HTTP mapping.
#include "fcgi/process/WorkerLoop.h"

#include <signal.h>

#include <csignal>

#include "common/ApiError.h"
#include "common/Log.h"
#include "fcgi/process/FcgiRequest.h"

namespace im::fcgi {
namespace {

volatile std::sig_atomic_t gStop = 0;

void onStopSignal(int) {
  gStop = 1;
  FCGX_ShutdownPending();  // async-signal-safe: sets a flag libfcgi's accept loop checks
}

Response errorResponse(common::ErrorCode code, const std::string& message) {
  return Response::json(common::toHttpStatus(code), common::renderError(code, message));
}

}  // namespace

bool workerStopRequested() { return gStop != 0; }

// No SA_RESTART: the signal must interrupt accept() so that FCGX_Accept_r returns.
void installWorkerSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGHUP, SIG_IGN);  // the master re-reads the config; workers are replaced
}

int WorkerLoop::run() {
  installWorkerSignalHandlers();
  FcgiRequest fcgi(listenFd_);
  int served = 0;
  while (!workerStopRequested() && served < services_.config.fcgi.maxRequests) {
    if (!fcgi.accept()) continue;  // interrupted: the loop condition decides
    const Response response = handleOne(fcgi.raw());
    response.write(fcgi.raw().out);
    fcgi.finish();
    ++served;
  }
  return served;
}

Response WorkerLoop::handleOne(FCGX_Request& raw) {
  Request request;
  try {
    request = Request::fromFcgi(raw);
  } catch (const common::ApiError& e) {
    return errorResponse(e.code(), e.what());
  } catch (const std::exception& e) {
    IM_ERROR("worker", std::string("reading the request failed: ") + e.what());
    return Response::json(500, R"({"error":"internal","message":"Internal error."})");
  }
  return serve(request);
}

Response WorkerLoop::serve(Request& request) {
  const CorsPolicy::Verdict cors = cors_.judge(request.origin(), request.host());
  const bool allowed = cors == CorsPolicy::Verdict::Allowed;
  if (allowed && request.method() == "OPTIONS") return cors_.preflight(request.origin());
  Response r = route(request, cors);
  if (allowed) CorsPolicy::decorate(r, request.origin());
  return r;
}

Response WorkerLoop::route(Request& request, CorsPolicy::Verdict cors) {
  try {
    if (cors == CorsPolicy::Verdict::Refused) {
      throw common::ApiError(common::ErrorCode::Forbidden, "Requests from this origin are not allowed.");
    }
    return router_.dispatch(request, services_);
  } catch (const common::ApiError& e) {
    Response r = errorResponse(e.code(), e.what());
    if (e.code() == common::ErrorCode::MethodNotAllowed) r.header("Allow", router_.allowedMethods(request.path()));
    if (e.retryAfter() > 0) r.header("Retry-After", std::to_string(e.retryAfter()));
    return r;
  } catch (const std::exception& e) {
    IM_ERROR("worker", request.method() + " " + request.path() + " failed: " + e.what());
  } catch (...) {
    IM_ERROR("worker", request.method() + " " + request.path() + " failed with a non-standard exception");
  }
  return Response::json(500, R"({"error":"internal","message":"Internal error."})");
}

}  // namespace im::fcgi
