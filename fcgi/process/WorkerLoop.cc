// SPDX-License-Identifier: MIT
// WorkerLoop.cc - the accept loop and the one exception -> HTTP mapping.
#include "fcgi/process/WorkerLoop.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <optional>
#include <string>

#include "common/ApiError.h"
#include "common/Log.h"
#include "fcgi/handlers/Handlers.h"
#include "fcgi/handlers/SendHandler.h"
#include "fcgi/process/ListenWait.h"

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

// The most requests that are not sends a worker answers while it holds sends: each one delays
// their commit by its own time.
constexpr int kMaxAnsweredWhileHolding = 8;

std::string requestIdOf(FCGX_Request& raw) {
  const char* id = FCGX_GetParam("IM_REQUEST_ID", raw.envp);  // nginx's $request_id (im.locations.conf)
  return id != nullptr ? id : "";
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
  ListenWait listen(listenFd_);
  const auto inHand = std::clamp<size_t>(static_cast<size_t>(services_.config.fcgi.sendBatch), 1, MessageStore::kMaxBatch);
  for (size_t i = 0; i < inHand; ++i) slots_.push_back(std::make_unique<FcgiRequest>(listenFd_));
  int served = 0;
  while (!workerStopRequested() && served < services_.config.fcgi.maxRequests) {
    services_.acks.flushIfDue();  // after the last answer went out, or an idle wait's timeout
    if (!listen.wait(AckQueue::kMaxDelayMs)) continue;  // idle or interrupted: the loop condition decides
    served += serveQueued();
  }
  services_.acks.flush();  // recycled or stopped: what is queued must not wait for a next poll
  return served;
}

// Accepts the request that woke us and answers it. When it is a send, the requests queued
// behind it are accepted too, never waiting for one: sends are held with it, the others answered
// at once, until fcgi.send_batch sends are held or nothing is queued. Then the held sends commit
// in one transaction (MessageStore::sendBatch): under load a worker's sends cost MariaDB one
// transaction, not one each, and an idle stack pays nothing for it (bench/README.md).
int WorkerLoop::serveQueued() {
  if (services_.poolMetrics) services_.poolMetrics->setBusy(services_.workerSlot, true);
  int served = 0;
  int others = 0;
  while (held_.size() < slots_.size() && others < kMaxAnsweredWhileHolding) {
    FcgiRequest& fcgi = *slots_[held_.size()];
    if (!fcgi.accept()) break;  // nothing queued, or another worker took it
    ++served;
    const bool held = takeOne(fcgi);
    if (held_.empty()) break;  // not a send: served the way every request is
    if (!held) ++others;
  }
  if (!held_.empty()) commitHeld();
  if (services_.poolMetrics) services_.poolMetrics->setBusy(services_.workerSlot, false);
  common::setRequestId("");
  return served;
}

// Reads the request in `fcgi` and answers it, unless it is a send that can wait for the batch's
// commit: then it is held (true).
bool WorkerLoop::takeOne(FcgiRequest& fcgi) {
  const InHand hand{&fcgi, routeOf(fcgi.raw()), nowUs(), requestIdOf(fcgi.raw())};
  common::setRequestId(hand.requestId);  // this worker's lines about the request carry it
  Request request;
  try {
    request = Request::fromFcgi(fcgi.raw());
  } catch (const common::ApiError& e) {
    answer(hand, errorResponse(e.code(), e.what()));
    return false;
  } catch (const std::exception& e) {
    IM_ERROR("worker", std::string("reading the request failed: ") + e.what());
    answer(hand, Response::json(500, R"({"error":"internal","message":"Internal error."})"));
    return false;
  }
  const bool send = slots_.size() > 1 && hand.route >= 0 &&
                    router_.routes()[static_cast<size_t>(hand.route)].handler == &handleSend;
  const CorsPolicy::Verdict cors = cors_.judge(request.origin(), request.host());
  if (!send || cors == CorsPolicy::Verdict::Refused) {
    answer(hand, serve(request));
    return false;
  }
  // The first half of handleSend now: a refusal (401, 400, 429...) is answered at once.
  std::optional<common::Message> message;
  Response refusal = guarded(request, [&] {
    message = fcgi::admitSend(request, services_);
    return Response();
  });
  const bool allowed = cors == CorsPolicy::Verdict::Allowed;
  if (!message) {
    if (allowed) CorsPolicy::decorate(refusal, request.origin());
    answer(hand, refusal);
    return false;
  }
  held_.push_back(HeldSend{hand, std::move(request), allowed, std::move(*message)});
  return true;
}

// The second half of handleSend for every held send, after their one commit.
void WorkerLoop::commitHeld() {
  std::vector<common::Message> batch;
  batch.reserve(held_.size());
  for (const HeldSend& h : held_) batch.push_back(h.message);
  if (services_.poolMetrics) services_.poolMetrics->recordSendCommit(batch.size());
  std::vector<SendOutcome> outcomes;
  const Response failed = guarded(held_.front().request, [&] {
    outcomes = services_.messages.sendBatch(batch);
    return Response();
  });
  announceSent(outcomes, services_);
  for (size_t i = 0; i < held_.size(); ++i) {
    HeldSend& h = held_[i];
    common::setRequestId(h.hand.requestId);
    Response r = outcomes.size() != held_.size() ? failed : guarded(h.request, [&] {
      if (outcomes[i].error) throw *outcomes[i].error;
      return answerSent(*outcomes[i].result);
    });
    if (h.corsAllowed) CorsPolicy::decorate(r, h.request.origin());
    answer(h.hand, r);
  }
  held_.clear();
}

// Before finish(): it frees the params, and once the client has its answer a scrape it makes
// next must already count this request.
void WorkerLoop::answer(const InHand& hand, const Response& response) {
  response.write(hand.fcgi->raw().out);
  account(hand.route, response, nowUs() - hand.startedUs);
  hand.fcgi->finish();
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
  }
  if (!slow) return;
  // The route pattern, not the path: no user id in the log, and one line shape per endpoint.
  const std::string name = route >= 0 ? std::string(router_.routes()[static_cast<size_t>(route)].method) + " " +
                                            router_.routes()[static_cast<size_t>(route)].pattern
                                      : "unrouted";
  IM_WARN("worker", "slow request route=\"" + name + "\" status=" + std::to_string(response.status()) +
                        " ms=" + std::to_string(us / 1000));
}

Response WorkerLoop::serve(Request& request) {
  const CorsPolicy::Verdict cors = cors_.judge(request.origin(), request.host());
  const bool allowed = cors == CorsPolicy::Verdict::Allowed;
  if (allowed && request.method() == "OPTIONS") return cors_.preflight(request.origin());
  Response r = guarded(request, [&] {
    if (cors == CorsPolicy::Verdict::Refused) {
      throw common::ApiError(common::ErrorCode::Forbidden, "Requests from this origin are not allowed.");
    }
    return router_.dispatch(request, services_);
  });
  if (allowed) CorsPolicy::decorate(r, request.origin());
  return r;
}

// Runs `work`, turning every exception it throws into its answer.
template <typename Work>
Response WorkerLoop::guarded(const Request& request, Work&& work) {
  try {
    return work();
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
