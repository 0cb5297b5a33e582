// SPDX-License-Identifier: MIT
// MetricsPage.cc - metric names and their meaning (README "Operating it" lists them).
#include "fcgi/ops/MetricsPage.h"

#include "common/Json.h"
#include "common/Version.h"
#include "fcgi/ops/PrometheusText.h"

namespace im::fcgi {
namespace {

std::vector<uint64_t> bounds(const auto& array) { return {array.begin(), array.end()}; }

Labels routeLabels(const MetricsInput& in, size_t row) {
  if (row >= in.routes.size()) return {{"method", ""}, {"route", "unrouted"}};
  return {{"method", in.routes[row].method}, {"route", in.routes[row].pattern}};
}

void renderRequests(const MetricsInput& in, PrometheusText& out) {
  const auto& p = in.pool;
  out.family("im_fcgi_requests_total", "counter", "Requests answered by the workers, per route.");
  for (size_t row = 0; row < p.routeRequests.size(); ++row) {
    if (row < in.routes.size() || p.routeRequests[row] > 0) out.sample("im_fcgi_requests_total", routeLabels(in, row), p.routeRequests[row]);
  }
  out.family("im_fcgi_errors_total", "counter", "Requests answered with a status >= 400, per route.");
  for (size_t row = 0; row < p.routeErrors.size(); ++row) {
    if (row < in.routes.size() || p.routeErrors[row] > 0) out.sample("im_fcgi_errors_total", routeLabels(in, row), p.routeErrors[row]);
  }
  out.family("im_fcgi_responses_total", "counter", "Responses per HTTP status code.");
  for (size_t code = 0; code < p.statuses.size(); ++code) {
    if (p.statuses[code] > 0) out.sample("im_fcgi_responses_total", {{"code", std::to_string(code)}}, p.statuses[code]);
  }
  out.family("im_fcgi_request_duration_seconds", "histogram", "Time from accept to the answer written, per request.");
  out.histogram("im_fcgi_request_duration_seconds", {}, bounds(PoolMetrics::kBucketsUs), p.buckets, p.latencySumUs);
  out.family("im_fcgi_slow_requests_total", "counter", "Requests at or over fcgi.slow_ms (each one is logged).");
  out.sample("im_fcgi_slow_requests_total", {}, p.slow);
  // Their ratio is the sends per transaction: 1 on an idle stack, growing with the queue.
  out.family("im_fcgi_send_commits_total", "counter", "Commits of the sends a worker held together (fcgi.send_batch).");
  out.sample("im_fcgi_send_commits_total", {}, p.sendCommits);
  out.family("im_fcgi_sends_committed_total", "counter", "Sends in those commits.");
  out.sample("im_fcgi_sends_committed_total", {}, p.sendsCommitted);
}

void renderPool(const MetricsInput& in, PrometheusText& out) {
  const auto& p = in.pool;
  uint64_t busy = 0;
  for (const auto& w : p.workers) busy += w.busy ? 1 : 0;
  out.family("im_fcgi_workers", "gauge", "Worker processes, by state.");
  out.sample("im_fcgi_workers", {{"state", "busy"}}, busy);
  out.sample("im_fcgi_workers", {{"state", "idle"}}, static_cast<uint64_t>(p.workers.size()) - busy);
  if (in.queue) {
    out.family("im_fcgi_listen_queue", "gauge", "Connections waiting in the pool socket's accept queue.");
    out.sample("im_fcgi_listen_queue", {}, uint64_t{in.queue->waiting});
    out.family("im_fcgi_listen_queue_max", "gauge", "Size of that queue; past it nginx answers 503.");
    out.sample("im_fcgi_listen_queue_max", {}, uint64_t{in.queue->max});
  }
  out.family("im_fcgi_worker_spawns_total", "counter", "Workers forked by the master.");
  out.sample("im_fcgi_worker_spawns_total", {}, p.spawned);
  out.family("im_fcgi_worker_recycles_total", "counter", "Workers that exited after fcgi.max_requests.");
  out.sample("im_fcgi_worker_recycles_total", {}, p.recycles);
  out.family("im_fcgi_worker_crashes_total", "counter", "Workers that died by a signal or a non-zero exit.");
  out.sample("im_fcgi_worker_crashes_total", {}, p.crashes);
  out.family("im_fcgi_start_time_seconds", "gauge", "When the master started, unix time.");
  out.sample("im_fcgi_start_time_seconds", {}, static_cast<double>(p.startedUnixMs) / 1000.0);
}

uint64_t field(const Poco::JSON::Object::Ptr& stats, const char* name) {
  return stats->has(name) ? stats->getValue<uint64_t>(name) : 0;
}

std::vector<uint64_t> array(const Poco::JSON::Object::Ptr& stats, const char* name) {
  std::vector<uint64_t> values;
  const auto a = stats->getArray(name);
  for (size_t i = 0; a && i < a->size(); ++i) values.push_back(a->getElement<uint64_t>(static_cast<unsigned>(i)));
  return values;
}

void renderPushd(const MetricsInput& in, PrometheusText& out) {
  out.family("im_pushd_up", "gauge", "1 when the live node answered /stats to this scrape.");
  for (const auto& n : in.nodes) out.sample("im_pushd_up", {{"node", n.node}}, uint64_t{n.stats ? 1u : 0u});
  const struct { const char* name; const char* key; const char* type; const char* help; } kFields[] = {
      {"im_pushd_held_polls", "held_polls", "gauge", "Polls the node holds now."},
      {"im_pushd_buffered_users", "buffered", "gauge", "Users with early notifications kept for a poll still on its way."},
      {"im_pushd_notifications_total", "notifications", "counter", "Notifications popped from the node's Redis list."},
      {"im_pushd_deliveries_total", "deliveries", "counter", "Held polls answered with messages."},
      {"im_pushd_early_hits_total", "early", "counter", "Polls answered at once from an early notification."},
      {"im_pushd_timeouts_total", "timeouts", "counter", "Held polls answered empty by their timeout."},
      {"im_pushd_gap_waits_total", "gap_waits", "counter", "Gap waits that ran out (answered what was consecutive)."},
      {"im_pushd_redis_reconnects_total", "redis_reconnects", "counter", "Redis outages the node's inbox came back from."},
      {"im_pushd_accepted_tcp_total", "accepted_tcp", "counter", "Connections accepted on the node's TCP port."},
      {"im_pushd_accepted_unix_total", "accepted_unix", "counter", "Connections accepted on its unix socket (hand-overs from this host's nginx)."},
  };
  for (const auto& f : kFields) {
    out.family(f.name, f.type, f.help);
    for (const auto& n : in.nodes) {
      if (n.stats) out.sample(f.name, {{"node", n.node}}, field(n.stats, f.key));
    }
  }
  out.family("im_pushd_push_duration_seconds", "histogram", "Notification popped from Redis -> answer written.");
  for (const auto& n : in.nodes) {
    if (!n.stats || !n.stats->has("push_latency_counts")) continue;
    out.histogram("im_pushd_push_duration_seconds", {{"node", n.node}}, array(n.stats, "push_latency_le_us"),
                  array(n.stats, "push_latency_counts"), field(n.stats, "push_latency_sum_us"));
  }
}

}  // namespace

std::string renderMetrics(const MetricsInput& in) {
  PrometheusText out;
  out.family("im_build_info", "gauge", "The build's version (git describe).");
  out.sample("im_build_info", {{"version", common::version()}}, uint64_t{1});
  renderRequests(in, out);
  renderPool(in, out);
  renderPushd(in, out);
  return out.take();
}

std::string renderStatus(const MetricsInput& in) {
  const auto& p = in.pool;
  uint64_t busy = 0;
  for (const auto& w : p.workers) busy += w.busy ? 1 : 0;
  common::JsonWriter w;
  w.beginObject().key("version").string(common::version());
  w.key("start_time_ms").number(p.startedUnixMs).key("uptime_s").number((in.nowUnixMs - p.startedUnixMs) / 1000);
  w.key("accepted_requests").number(p.requests).key("slow_requests").number(p.slow);
  w.key("listen_queue").number(static_cast<uint64_t>(in.queue ? in.queue->waiting : 0));
  w.key("max_listen_queue").number(static_cast<uint64_t>(in.queue ? in.queue->max : 0));
  w.key("active_workers").number(busy).key("idle_workers").number(static_cast<uint64_t>(p.workers.size()) - busy);
  w.key("spawned").number(p.spawned).key("recycles").number(p.recycles).key("crashes").number(p.crashes);
  w.key("workers").beginArray();
  for (const auto& worker : p.workers) {
    w.beginObject().key("pid").number(int64_t{worker.pid}).key("busy").boolean(worker.busy);
    w.key("requests").number(worker.requests).endObject();
  }
  w.endArray().key("nodes").beginArray();
  for (const auto& n : in.nodes) {
    w.beginObject().key("node").string(n.node).key("up").boolean(n.stats != nullptr);
    if (n.stats) w.key("held_polls").number(field(n.stats, "held_polls"));
    w.endObject();
  }
  w.endArray().endObject();
  return w.take();
}

}  // namespace im::fcgi
