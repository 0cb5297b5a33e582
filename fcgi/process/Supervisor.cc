// SPDX-License-Identifier: MIT
// Supervisor.cc - fork/wait/signal handling of the master. The master blocks its signals and
// takes them with sigtimedwait, so no work happens in signal handlers.
#include "fcgi/process/Supervisor.h"

#include <fcgiapp.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "common/Clock.h"
#include "common/Log.h"
#include "common/LogLevelReload.h"
#include "common/ServiceNotify.h"
#include "fcgi/Services.h"
#include "fcgi/process/WorkerLoop.h"

namespace im::fcgi {
namespace {

// Requests queue here while every worker is busy (10,000 polls opened at once, a node's polls
// re-arriving after it failed). A full queue is nginx's cheap 503 (connect() EAGAIN), so it holds
// a burst of 16,384: ~5 s of poll work for 4 workers here. The kernel caps it at
// net.core.somaxconn (4096 on Debian 12), which `./im up` raises to this (bench/README.md).
constexpr int kBacklog = 16384;
// libfcgi's close of a finished request: shutdown(), then wait up to this long (its default:
// 2,000 ms) for nginx to close its end. nginx has read the answer by then and the request's bytes
// were all read, so the wait protects nothing; but under load nginx closes late, and a worker
// waiting ~200 ms per request served 17 polls/s in a retry storm, which kept the backlog full
// and the storm going (bench/README.md "admission"). An operator's own setting wins.
constexpr const char* kClosePollTimeoutMs = "0";
constexpr long long kQuickCrashMs = 2000;   // a worker dying this soon counts as a crash loop
constexpr long long kMaxBackoffMs = 5000;
constexpr int kStopGraceS = 15;             // then SIGKILL (a worker stuck in a request)
constexpr int kInheritedGeneration = -1;    // workers of the image before an exec

long long nowMs() { return common::SystemClock().steadyMs(); }

sigset_t masterSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGCHLD, SIGHUP, SIGTERM, SIGINT, SIGUSR1, SIGUSR2}) sigaddset(&set, s);
  return set;
}

}  // namespace

Supervisor::Supervisor(std::string configPath, std::vector<std::string> overrides, common::Config config)
    : configPath_(std::move(configPath)),
      overrides_(std::move(overrides)),
      config_(std::move(config)),
      metrics_(std::make_unique<PoolMetrics>()) {}

void Supervisor::openSocketOrDie() {
  const std::string& path = config_.fcgi.socket;
  ::unlink(path.c_str());  // a stale socket from a crashed master
  listenFd_ = FCGX_OpenSocket(path.c_str(), kBacklog);
  if (listenFd_ < 0) {
    IM_ERROR("master", "cannot listen on " + path);
    std::exit(1);
  }
  metrics_->setListenFd(listenFd_);
  ::chmod(path.c_str(), 0666);  // nginx runs as another user; the directory guards access
  IM_INFO("master", "listening on " + path + " with " + std::to_string(config_.fcgi.workers) + " workers");
}

int Supervisor::run() {
  ::setenv("LIBFCGI_OS_CLOSE_POLL_TIMEOUT", kClosePollTimeoutMs, 0);  // read by FCGX_Init
  FCGX_Init();
  openOrInheritSocket();
  const sigset_t set = masterSignals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
  fillPool();
  retireInherited();
  common::notifyReady(std::to_string(workers_.size()) + " workers on " + config_.fcgi.socket);
  for (;;) {
    const timespec tick{0, 200 * 1000 * 1000};
    const int sig = sigtimedwait(&set, nullptr, &tick);
    if (sig == SIGTERM || sig == SIGINT) break;
    if (sig == SIGHUP) reload();
    if (sig == SIGUSR1) reopenLogs();
    if (sig == SIGUSR2) execNewBinary();
    reap();
    fillPool();
  }
  common::notifyStopping();
  stopAll();
  ::unlink(config_.fcgi.socket.c_str());
  IM_INFO("master", "stopped");
  return 0;
}

void Supervisor::fillPool() {
  const auto current = std::count_if(workers_.begin(), workers_.end(), [&](const auto& w) { return w.second == generation_; });
  if (current < config_.fcgi.workers && nowMs() < nextSpawnMs_) return;  // backing off
  for (auto n = current; n < config_.fcgi.workers; ++n) spawn();
}

void Supervisor::spawn() {
  const pid_t master = getpid();
  const int slot = metrics_->claimSlot();
  const pid_t pid = fork();
  if (pid < 0) {
    IM_ERROR("master", "fork failed");
    metrics_->assignSlot(slot, 0);
    return;
  }
  if (pid == 0) {
    // A master killed by SIGKILL cannot stop its workers: the kernel tells them instead, or they
    // would go on serving the old socket with the old binary and config beside the next pool.
    // The master may have died between fork() and prctl(): then the parent is already another.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != master) std::_Exit(0);
    runWorker(slot);
  }
  metrics_->assignSlot(slot, pid);
  workers_[pid] = generation_;
  startedMs_[pid] = nowMs();
}

void Supervisor::runWorker(int slot) {
  const sigset_t set = masterSignals();
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  common::SystemClock clock;
  int served = 0;
  {
    Services services(config_, clock);
    services.poolMetrics = metrics_.get();
    services.workerSlot = slot;
    services.db.prefer(slot);  // worker i works on MariaDB node i mod N (mysql.hosts)
    served = WorkerLoop(listenFd_, services).run();
  }  // closes the MariaDB and Redis connections: MariaDB logs an aborted connection for every
     // worker that exits without saying goodbye, one per recycled worker (fcgi.max_requests)
  IM_DEBUG("worker", "exiting after " + std::to_string(served) + " requests");
  std::_Exit(0);  // no atexit handlers or static destructors of the master's state
}

void Supervisor::reap() {
  int status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    const long long lived = nowMs() - startedMs_[pid];
    if (!clean && workers_[pid] == generation_) {
      IM_ERROR("master", "worker " + std::to_string(pid) + " died (status " + std::to_string(status) + ")");
      quickCrashes_ = lived < kQuickCrashMs ? quickCrashes_ + 1 : 0;
      nextSpawnMs_ = nowMs() + std::min(kMaxBackoffMs, 100LL << std::min(quickCrashes_, 6));
    } else if (clean) {
      quickCrashes_ = 0;
    }
    metrics_->releaseSlot(pid, !clean, clean && workers_[pid] == generation_);
    workers_.erase(pid);
    startedMs_.erase(pid);
  }
}

void Supervisor::reload() {
  try {
    common::Config fresh = common::loadConfig(configPath_, overrides_);
    if (fresh.fcgi.socket != config_.fcgi.socket) {
      IM_WARN("master", "fcgi.socket changed: it takes effect only after a restart");
      fresh.fcgi.socket = config_.fcgi.socket;
    }
    config_ = std::move(fresh);
    common::applyLogLevels(config_);  // the master's lines; new workers inherit it
  } catch (const std::exception& e) {
    IM_ERROR("master", std::string("SIGHUP: config not reloaded: ") + e.what());
    return;
  }
  IM_INFO("master", "SIGHUP: config reloaded, replacing workers");
  common::notifyReloading();
  const int old = generation_++;
  for (const auto& [pid, gen] : workers_) {
    if (gen == old) kill(pid, SIGTERM);
  }
  quickCrashes_ = 0;
  nextSpawnMs_ = 0;
  fillPool();
  common::notifyReady("config reloaded: " + std::to_string(config_.fcgi.workers) + " new workers");
}

// The workers hold their own descriptor of the old file: each reopens it (Log's SIGUSR1 handler).
void Supervisor::reopenLogs() {
  common::reopenLogFile();
  for (const auto& [pid, gen] : workers_) kill(pid, SIGUSR1);
  IM_INFO("master", "SIGUSR1: log file reopened");
}

// After an exec the socket is already open (requests kept queueing on it meanwhile); the
// previous image's workers are this process's children still, and are reaped as such.
void Supervisor::openOrInheritSocket() {
  const MasterReexec::Inherited in = MasterReexec::takeInherited();
  if (in.listenFd < 0) {
    openSocketOrDie();
    fcntl(listenFd_, F_SETFD, fcntl(listenFd_, F_GETFD) | FD_CLOEXEC);  // only an exec passes it on
    return;
  }
  listenFd_ = in.listenFd;
  metrics_->setListenFd(listenFd_);
  if (!in.path.empty() && in.path != config_.fcgi.socket) {
    IM_WARN("master", "fcgi.socket changed: it takes effect only after a restart; serving " + in.path + " on");
    config_.fcgi.socket = in.path;  // the path SIGTERM unlinks, and SIGHUP keeps
  }
  inheritedWorkers_ = in.workers;
  for (const pid_t pid : in.workers) workers_[pid] = kInheritedGeneration;
  IM_INFO("master", "exec'd " + reexec_.path() + ": serving " + config_.fcgi.socket + " on, " +
                        std::to_string(in.workers.size()) + " old workers to retire");
}

// Our workers are forked: the old ones finish the request in hand and exit (SIGTERM), while
// the queue that forms meanwhile waits on the socket, refused by no one.
void Supervisor::retireInherited() {
  for (const pid_t pid : inheritedWorkers_) kill(pid, SIGTERM);
  inheritedWorkers_.clear();
}

void Supervisor::execNewBinary() {
  std::string why;
  try {
    common::loadConfig(configPath_, overrides_);  // the new image would exit on it: refuse now
  } catch (const std::exception& e) {
    why = std::string("config: ") + e.what();
  }
  if (why.empty()) {
    IM_INFO("master", "SIGUSR2: exec " + reexec_.path());
    common::notifyReloading();
    std::vector<pid_t> pids;
    for (const auto& [pid, gen] : workers_) pids.push_back(pid);
    reexec_.exec(listenFd_, pids, why);  // returns only on failure
    common::notifyReady("exec failed: still the old binary");
  }
  IM_ERROR("master", "SIGUSR2: not upgraded, the running binary goes on: " + why);
}

void Supervisor::stopAll() {
  for (const auto& [pid, gen] : workers_) kill(pid, SIGTERM);
  const long long deadline = nowMs() + kStopGraceS * 1000LL;
  while (!workers_.empty() && nowMs() < deadline) {
    reap();
    if (!workers_.empty()) usleep(50 * 1000);
  }
  for (const auto& [pid, gen] : workers_) kill(pid, SIGKILL);
  while (!workers_.empty()) {
    const pid_t pid = waitpid(-1, nullptr, 0);
    if (pid < 0) break;
    workers_.erase(pid);
  }
}

}  // namespace im::fcgi
