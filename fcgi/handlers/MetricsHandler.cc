// SPDX-License-Identifier: MIT
// MetricsHandler.cc - operators' pages (not in API.md): the pool's and every node's figures.
// nginx lets only loopback clients reach them (im.locations.conf: allow 127.0.0.1; deny all).
#include "common/ApiError.h"
#include "fcgi/Services.h"
#include "fcgi/handlers/Handlers.h"
#include "fcgi/ops/MetricsPage.h"
#include "fcgi/ops/PrometheusText.h"

namespace im::fcgi {
namespace {

constexpr int kScrapeTimeoutMs = 500;  // per node: a hung node must not hang the scrape

MetricsInput gather(Services& services) {
  if (services.poolMetrics == nullptr) throw common::ApiError(common::ErrorCode::Unavailable, "No pool metrics.");
  const PoolMetrics::Snapshot pool = services.poolMetrics->snapshot();
  return MetricsInput{pool, Router().routes(), listenQueueOf(pool.listenFd),
                      scrapePushd(services.nodes.liveNodes(), kScrapeTimeoutMs), services.clock.wallMs()};
}

}  // namespace

// GET /im/metrics -> 200 Prometheus text exposition (0.0.4).
Response handleMetrics(const Request&, Services& services) {
  return Response::typed(200, PrometheusText::kContentType, renderMetrics(gather(services)));
}

// GET /im/status -> 200 {"accepted_requests", "listen_queue", "active_workers", "workers", "nodes", ...}.
Response handleStatus(const Request&, Services& services) {
  return Response::json(200, renderStatus(gather(services)));
}

}  // namespace im::fcgi
