// SPDX-License-Identifier: MIT
// PoolMetrics.h - the fcgi pool's counters, shared by the master and every worker: one anonymous
// shared mapping the master creates before its first fork (workers inherit it), lock-free atomics
// inside. Workers count their requests and say busy/idle; the master counts spawns, recycles
// and crashes; any worker reads it all for /im/metrics and /im/status.
// Memory: ~8 KiB whatever the traffic; a counter is never reset (Prometheus takes rates).
#pragma once

#include <sys/types.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace im::fcgi {

class PoolMetrics {
 public:
  static constexpr size_t kMaxRoutes = 64;    // route table rows; the one after them: no route
  static constexpr size_t kMaxWorkers = 256;  // worker slots
  static constexpr size_t kStatuses = 600;
  // Latency histogram upper bounds, microseconds (Prometheus `le`, plus +Inf).
  static constexpr std::array<uint64_t, 12> kBucketsUs = {1000,   2500,   5000,   10000,   25000,   50000,
                                                          100000, 250000, 500000, 1000000, 2500000, 5000000};

  struct WorkerState {
    pid_t pid = 0;
    bool busy = false;
    uint64_t requests = 0;
  };
  // A copy of everything, for rendering.
  struct Snapshot {
    std::vector<uint64_t> routeRequests;   // kMaxRoutes + 1
    std::vector<uint64_t> routeErrors;     // status >= 400, per route
    std::vector<uint64_t> statuses;        // kStatuses
    std::vector<uint64_t> buckets;         // kBucketsUs.size() + 1, not cumulative
    uint64_t latencySumUs = 0;
    uint64_t requests = 0;
    uint64_t slow = 0;
    uint64_t sendCommits = 0, sendsCommitted = 0;  // recordSendCommit
    uint64_t spawned = 0, recycles = 0, crashes = 0;
    int64_t startedUnixMs = 0;
    std::vector<WorkerState> workers;      // live slots only
    int listenFd = -1;
  };

  PoolMetrics();  // maps the segment; throws std::runtime_error when mmap fails
  ~PoolMetrics();
  PoolMetrics(const PoolMetrics&) = delete;
  PoolMetrics& operator=(const PoolMetrics&) = delete;

  // Master only.
  // Before fork(): a slot for the next worker (-1 when all are taken: it then counts only
  // pool-wide figures); after fork(), the child's pid goes in it.
  int claimSlot();
  void assignSlot(int slot, pid_t pid);
  void releaseSlot(pid_t pid, bool crashed, bool recycled);
  void setListenFd(int fd);  // the pool's socket, same number in every worker

  // Worker only (its own slot).
  void setBusy(int slot, bool busy);
  // One finished request: `route` is its row in the route table (-1: none matched).
  void record(int slot, int route, int status, uint64_t micros, bool slow);
  // `sends` held sends were handed to one commit (MessageStore::sendBatch).
  void recordSendCommit(uint64_t sends);

  // Anyone.
  Snapshot snapshot() const;

 private:
  struct Block;
  Block* block_;
};

}  // namespace im::fcgi
