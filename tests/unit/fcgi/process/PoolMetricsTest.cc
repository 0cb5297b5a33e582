// SPDX-License-Identifier: MIT
// PoolMetricsTest.cc - what a forked worker records, the master reads (the mapping is shared),
// in the right route, status and latency bucket.
#include "fcgi/process/PoolMetrics.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

using namespace im::fcgi;

TEST(PoolMetrics, AForkedWorkersCountsReachTheMaster) {
  PoolMetrics metrics;
  const int slot = metrics.claimSlot();
  ASSERT_GE(slot, 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    metrics.setBusy(slot, true);
    metrics.record(slot, 2, 200, 3000, false);   // 3 ms: the 5 ms bucket
    metrics.record(slot, -1, 404, 10, true);     // no route: the row after the table
    std::_Exit(0);
  }
  metrics.assignSlot(slot, pid);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  const PoolMetrics::Snapshot s = metrics.snapshot();
  EXPECT_EQ(s.routeRequests[2], 1u);
  EXPECT_EQ(s.routeRequests[PoolMetrics::kMaxRoutes], 1u);
  EXPECT_EQ(s.routeErrors[PoolMetrics::kMaxRoutes], 1u);
  EXPECT_EQ(s.statuses[200], 1u);
  EXPECT_EQ(s.statuses[404], 1u);
  EXPECT_EQ(s.buckets[0], 1u);  // 10 us <= 1 ms
  EXPECT_EQ(s.buckets[2], 1u);  // 3 ms <= 5 ms
  EXPECT_EQ(s.latencySumUs, 3010u);
  EXPECT_EQ(s.slow, 1u);
  ASSERT_EQ(s.workers.size(), 1u);
  EXPECT_EQ(s.workers[0].pid, pid);
  EXPECT_TRUE(s.workers[0].busy);
  EXPECT_EQ(s.workers[0].requests, 2u);

  metrics.releaseSlot(pid, WIFSIGNALED(status), true);
  const PoolMetrics::Snapshot after = metrics.snapshot();
  EXPECT_TRUE(after.workers.empty());
  EXPECT_EQ(after.recycles, 1u);
  EXPECT_EQ(after.crashes, 0u);
  EXPECT_EQ(after.spawned, 1u);
}
