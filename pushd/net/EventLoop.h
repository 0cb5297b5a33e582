// SPDX-License-Identifier: MIT
// EventLoop.h - one epoll loop on one thread (muduo style): fd readiness, cross-thread tasks
// woken through an eventfd, and a few periodic tasks (the timing-wheel tick).
//
// Why not Poco 1.11's SocketReactor: it dispatches every readiness through a NotificationCenter
// with ref-counted notification objects and builds a std::map of ready sockets per poll call.
// A node holds ~20,000 idle polls at <= 1 KiB each and must answer bursts fast, so we keep the
// per-event path to one epoll_wait and one virtual call.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/UniqueFd.h"
#include "pushd/net/IoHandler.h"

namespace im::net {

class EventLoop {
 public:
  using Task = std::function<void()>;

  // The constructing thread owns the loop until start(); wire components on it first.
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Constructing thread. Spawns the loop thread, which owns the loop from then on; returns
  // once it runs.
  void start();
  // Any thread but the loop's. Quits and joins; ownership returns to the calling thread so
  // components can unwatch in their destructors. Idempotent.
  void stop();

  // Thread safe. Runs `task` now when called on the loop thread, else queues it.
  void runInLoop(Task task);
  // Thread safe. Always queues; the loop runs queued tasks after the current batch of events.
  void queueInLoop(Task task);
  // Loop thread. Runs `task` every `intervalMs` (best effort, never early).
  void runEvery(int intervalMs, Task task);

  // Loop thread. Level-triggered watch of `fd` for epoll `events`; `handler` is not owned
  // and must unwatch before it dies.
  void watch(int fd, uint32_t events, IoHandler* handler);
  void modify(int fd, uint32_t events);
  void unwatch(int fd);

  bool isInLoopThread() const { return owner_.load() == std::this_thread::get_id(); }
  // Aborts (in every build type) when called off the loop thread: a contract breach, not an error.
  void assertInLoopThread() const;

 private:
  struct Periodic {
    int64_t intervalMs;
    int64_t nextMs;
    Task task;
  };

  void run();
  void dispatch(int ready);
  void wake();
  void drainWake();
  void runQueued();
  void runPeriodic();
  int timeoutMs() const;

  common::UniqueFd epoll_;
  common::UniqueFd wake_;
  std::atomic<std::thread::id> owner_;
  std::atomic<bool> quit_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Task> queued_;       // guarded by mutex_
  std::vector<IoHandler*> handlers_;  // by fd; loop thread
  std::vector<Periodic> periodic_;    // loop thread
};

}  // namespace im::net
