// SPDX-License-Identifier: MIT
// WorkerLoop.cc - the accept loop and the one exception -> HTTP mapping.
#include "fcgi/process/WorkerLoop.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <string>

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

int64_t nowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Response errorResponse(common::ErrorCode code, const std::string& message) {
  return Response::json(common::toHttpStatus(code), common::renderError(code, message));
}

// A read timeout on the listening unix socket makes a blocked accept() return EAGAIN (Linux:
// unix_accept honours SO_RCVTIMEO; accepted unix sockets do not inherit it), so an idle worker
// still writes its queued acknowledgements in time (AckQueue::kMaxDelayMs). Every worker sets
// the same value on the shared socket. Not on TCP, whose accepted sockets would inherit it.
void wakeIdleAcceptEvery(int listenFd, int64_t ms) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(listenFd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || addr.ss_family != AF_UNIX) return;
  const timeval tv{.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
  if (setsockopt(listenFd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) IM_WARN("worker", "SO_RCVTIMEO failed");
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
  wakeIdleAcceptEvery(listenFd_, AckQueue::kMaxDelayMs);
  int served = 0;
  while (!workerStopRequested() && served < services_.config.fcgi.maxRequests) {
    services_.acks.flushIfDue();  // after the last answer went out, or an idle accept's timeout
    if (!fcgi.accept()) continue;  // interrupted or idle: the loop condition decides
    const int64_t startedUs = nowUs();
    if (services_.poolMetrics) services_.poolMetrics->setBusy(services_.workerSlot, true);
    // nginx's $request_id (im.locations.conf): this worker's lines about the request carry it.
    const char* requestId = FCGX_GetParam("IM_REQUEST_ID", fcgi.raw().envp);
    common::setRequestId(requestId != nullptr ? requestId : "");
    const Response response = handleOne(fcgi.raw());
    response.write(fcgi.raw().out);
    // Before finish(): it frees the params, and once the client has its answer a scrape it
    // makes next must already count this request.
    account(routeOf(fcgi.raw()), response, nowUs() - startedUs);
    fcgi.finish();
    common::setRequestId("");
    ++served;
  }
  services_.acks.flush();  // recycled or stopped: what is queued must not wait for a next poll
  return served;
}

int WorkerLoop::routeOf(FCGX_Request& raw) const {
  const char* method = FCGX_GetParam("REQUEST_METHOD", raw.envp);
  const char* path = FCGX_GetParam("DOCUMENT_URI", raw.envp);
  return router_.find(method ? method : "", path ? path : "");
}

// Counts the request in the pool's metrics; logs it when it took fcgi.slow_ms or longer.
void WorkerLoop::account(int route, const Response& response, int64_t micros) {
  const auto us = static_cast<uint64_t>(std::max<int64_t>(micros, 0));
  const bool slow = us >= static_cast<uint64_t>(services_.config.fcgi.slowMs) * 1000;
  if (services_.poolMetrics) {
    services_.poolMetrics->record(services_.workerSlot, route, response.status(), us, slow);
    services_.poolMetrics->setBusy(services_.workerSlot, false);
  }
  if (!slow) return;
  // The route pattern, not the path: no user id in the log, and one line shape per endpoint.
  const std::string name = route >= 0 ? std::string(router_.routes()[static_cast<size_t>(route)].method) + " " +
                                            router_.routes()[static_cast<size_t>(route)].pattern
                                      : "unrouted";
  IM_WARN("worker", "slow request route=\"" + name + "\" status=" + std::to_string(response.status()) +
                        " ms=" + std::to_string(us / 1000));
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
