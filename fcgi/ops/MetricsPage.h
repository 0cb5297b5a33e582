// SPDX-License-Identifier: MIT
// MetricsPage.h - the /im/metrics text and the /im/status JSON, from the pool's shared counters,
// its listen queue and every live pushd node's /stats (pure: no I/O, unit-testable).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fcgi/Router.h"
#include "fcgi/ops/PushdScrape.h"
#include "fcgi/process/ListenQueue.h"
#include "fcgi/process/PoolMetrics.h"

namespace im::fcgi {

struct MetricsInput {
  PoolMetrics::Snapshot pool;
  std::vector<Route> routes;
  std::optional<ListenQueue> queue;
  std::vector<NodeStats> nodes;
  int64_t nowUnixMs = 0;
};

std::string renderMetrics(const MetricsInput& in);
std::string renderStatus(const MetricsInput& in);

}  // namespace im::fcgi
