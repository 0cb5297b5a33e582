// SPDX-License-Identifier: MIT
// PoolMetrics.cc - the shared block and its updates. Relaxed atomics: each counter is exact,
// a snapshot across counters may be a request apart, which a scrape does not mind.
#include "fcgi/process/PoolMetrics.h"

#include <sys/mman.h>

#include <new>
#include <stdexcept>

#include "common/Clock.h"

namespace im::fcgi {

struct PoolMetrics::Block {
  std::atomic<uint64_t> routeRequests[kMaxRoutes + 1];
  std::atomic<uint64_t> routeErrors[kMaxRoutes + 1];
  std::atomic<uint64_t> statuses[kStatuses];
  std::atomic<uint64_t> buckets[kBucketsUs.size() + 1];
  std::atomic<uint64_t> latencySumUs;
  std::atomic<uint64_t> slow;
  std::atomic<uint64_t> sendCommits;
  std::atomic<uint64_t> sendsCommitted;
  std::atomic<uint64_t> spawned;
  std::atomic<uint64_t> recycles;
  std::atomic<uint64_t> crashes;
  std::atomic<int64_t> startedUnixMs;
  std::atomic<int> listenFd;
  std::atomic<pid_t> workerPid[kMaxWorkers];
  std::atomic<bool> workerBusy[kMaxWorkers];
  std::atomic<uint64_t> workerRequests[kMaxWorkers];
};

static_assert(std::atomic<uint64_t>::is_always_lock_free, "counters shared between processes must be lock-free");
static_assert(std::atomic<pid_t>::is_always_lock_free);

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;
}

PoolMetrics::PoolMetrics() {
  void* memory = mmap(nullptr, sizeof(Block), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::runtime_error("PoolMetrics: mmap failed");
  block_ = new (memory) Block();  // value-initialised: every counter 0
  block_->startedUnixMs.store(common::SystemClock().wallMs(), kRelaxed);
}

PoolMetrics::~PoolMetrics() { munmap(block_, sizeof(Block)); }

int PoolMetrics::claimSlot() {
  block_->spawned.fetch_add(1, kRelaxed);
  for (size_t i = 0; i < kMaxWorkers; ++i) {
    if (block_->workerPid[i].load(kRelaxed) != 0) continue;
    block_->workerBusy[i].store(false, kRelaxed);
    block_->workerRequests[i].store(0, kRelaxed);
    block_->workerPid[i].store(-1, kRelaxed);  // reserved until assignSlot()
    return static_cast<int>(i);
  }
  return -1;
}

void PoolMetrics::assignSlot(int slot, pid_t pid) {
  if (slot >= 0) block_->workerPid[slot].store(pid, kRelaxed);
}

void PoolMetrics::setListenFd(int fd) { block_->listenFd.store(fd, kRelaxed); }

void PoolMetrics::releaseSlot(pid_t pid, bool crashed, bool recycled) {
  if (crashed) block_->crashes.fetch_add(1, kRelaxed);
  if (recycled) block_->recycles.fetch_add(1, kRelaxed);
  for (auto& slot : block_->workerPid) {
    if (slot.load(kRelaxed) == pid) slot.store(0, kRelaxed);
  }
}

void PoolMetrics::setBusy(int slot, bool busy) {
  if (slot >= 0) block_->workerBusy[slot].store(busy, kRelaxed);
}

void PoolMetrics::record(int slot, int route, int status, uint64_t micros, bool slow) {
  const size_t row = route >= 0 && static_cast<size_t>(route) < kMaxRoutes ? static_cast<size_t>(route) : kMaxRoutes;
  block_->routeRequests[row].fetch_add(1, kRelaxed);
  if (status >= 400) block_->routeErrors[row].fetch_add(1, kRelaxed);
  if (status >= 0 && static_cast<size_t>(status) < kStatuses) block_->statuses[status].fetch_add(1, kRelaxed);
  size_t bucket = 0;
  while (bucket < kBucketsUs.size() && micros > kBucketsUs[bucket]) ++bucket;
  block_->buckets[bucket].fetch_add(1, kRelaxed);
  block_->latencySumUs.fetch_add(micros, kRelaxed);
  if (slow) block_->slow.fetch_add(1, kRelaxed);
  if (slot >= 0) block_->workerRequests[slot].fetch_add(1, kRelaxed);
}

void PoolMetrics::recordSendCommit(uint64_t sends) {
  block_->sendCommits.fetch_add(1, kRelaxed);
  block_->sendsCommitted.fetch_add(sends, kRelaxed);
}

PoolMetrics::Snapshot PoolMetrics::snapshot() const {
  Snapshot s;
  for (const auto& c : block_->routeRequests) s.routeRequests.push_back(c.load(kRelaxed));
  for (const auto& c : block_->routeErrors) s.routeErrors.push_back(c.load(kRelaxed));
  for (const auto& c : block_->statuses) s.statuses.push_back(c.load(kRelaxed));
  for (const auto& c : block_->buckets) {
    s.buckets.push_back(c.load(kRelaxed));
    s.requests += s.buckets.back();
  }
  s.latencySumUs = block_->latencySumUs.load(kRelaxed);
  s.slow = block_->slow.load(kRelaxed);
  s.sendCommits = block_->sendCommits.load(kRelaxed);
  s.sendsCommitted = block_->sendsCommitted.load(kRelaxed);
  s.spawned = block_->spawned.load(kRelaxed);
  s.recycles = block_->recycles.load(kRelaxed);
  s.crashes = block_->crashes.load(kRelaxed);
  s.startedUnixMs = block_->startedUnixMs.load(kRelaxed);
  s.listenFd = block_->listenFd.load(kRelaxed);
  for (size_t i = 0; i < kMaxWorkers; ++i) {
    const pid_t pid = block_->workerPid[i].load(kRelaxed);
    if (pid <= 0) continue;
    s.workers.push_back({pid, block_->workerBusy[i].load(kRelaxed), block_->workerRequests[i].load(kRelaxed)});
  }
  return s;
}

}  // namespace im::fcgi
