// SPDX-License-Identifier: MIT
// EventLoop.h - one epoll loop on one thread (muduo style): fd readiness, cross-thread tasks
// woken through an eventfd, and a few timer sources it sleeps until (the timing wheel's next
// timer): a loop with nothing due does not wake.
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
#include "pushd/net/NextDue.h"

namespace im::net {

class EventLoop {
 public:
  using Task = std::function<void()>;
  // Milliseconds until a timer source next has work (0 or less: now), nullopt when it has none.
  using DueFn = std::function<NextDue()>;

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
  // Loop thread. Runs `task` whenever `due` says it is due. Before every wait the loop asks each
  // source again and sleeps until the earliest (without a timeout when none has work), so `due`
  // must answer cheaply and `task` must consume what made it due. What changes a source runs on
  // the loop thread (an event, a task from runInLoop), so the next wait already counts it.
  void runWhenDue(DueFn due, Task task);

  // Loop thread. Level-triggered watch of `fd` for epoll `events`; `handler` is not owned
  // and must unwatch before it dies.
  void watch(int fd, uint32_t events, IoHandler* handler);
  void modify(int fd, uint32_t events);
  void unwatch(int fd);

  bool isInLoopThread() const { return owner_.load() == std::this_thread::get_id(); }
  // Aborts (in every build type) when called off the loop thread: a contract breach, not an error.
  void assertInLoopThread() const;

  // epoll_wait's timeout for the earliest source's answer: -1 (no timeout) when none has work.
  static int waitMs(NextDue untilDueMs);

 private:
  struct Timer {
    DueFn due;
    Task task;
  };

  void run();
  void dispatch(int ready);
  void wake();
  void drainWake();
  void runQueued();
  void runDue();
  int timeoutMs() const;

  common::UniqueFd epoll_;
  common::UniqueFd wake_;
  std::atomic<std::thread::id> owner_;
  std::atomic<bool> quit_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Task> queued_;       // guarded by mutex_
  std::vector<IoHandler*> handlers_;  // by fd; loop thread
  std::vector<Timer> timers_;         // loop thread
};

}  // namespace im::net
