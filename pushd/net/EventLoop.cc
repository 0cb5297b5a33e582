// SPDX-License-Identifier: MIT
// EventLoop.cc - epoll_wait until the earliest timer source is due, eventfd wake-up, queued tasks.
#include "pushd/net/EventLoop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <future>
#include <stdexcept>
#include <string>

#include "common/Log.h"

namespace im::net {
namespace {

constexpr int kMaxEventsPerWait = 256;

int createOrDie(int fd, const char* what) {
  if (fd < 0) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
  return fd;
}

// A queued task must not take the loop down: log and go on (STYLE guideline 6).
void runGuarded(const EventLoop::Task& task) noexcept {
  try {
    task();
  } catch (const std::exception& e) {
    IM_ERROR("loop", std::string("task threw: ") + e.what());
  } catch (...) {
    IM_ERROR("loop", "task threw a non-standard exception");
  }
}

}  // namespace

EventLoop::EventLoop()
    : epoll_(createOrDie(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      wake_(createOrDie(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd")),
      owner_(std::this_thread::get_id()) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_.get();
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &ev) != 0) createOrDie(-1, "epoll_ctl(eventfd)");
}

EventLoop::~EventLoop() { stop(); }

void EventLoop::assertInLoopThread() const {
  if (isInLoopThread()) return;
  IM_ERROR("loop", "called off the loop thread: a thread contract was broken");
  std::abort();
}

void EventLoop::start() {
  assertInLoopThread();
  std::promise<void> running;
  auto ran = running.get_future();
  thread_ = std::thread([this, &running] {
    owner_.store(std::this_thread::get_id());
    running.set_value();
    run();
  });
  ran.wait();
}

void EventLoop::stop() {
  if (!thread_.joinable()) return;
  quit_.store(true);
  wake();
  thread_.join();
  owner_.store(std::this_thread::get_id());
}

void EventLoop::runInLoop(Task task) {
  if (isInLoopThread()) {
    runGuarded(task);
  } else {
    queueInLoop(std::move(task));
  }
}

void EventLoop::queueInLoop(Task task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queued_.push_back(std::move(task));
  }
  wake();
}

void EventLoop::runWhenDue(DueFn due, Task task) {
  assertInLoopThread();
  timers_.push_back(Timer{std::move(due), std::move(task)});
}

void EventLoop::watch(int fd, uint32_t events, IoHandler* handler) {
  assertInLoopThread();
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    throw std::runtime_error(std::string("epoll_ctl(ADD): ") + std::strerror(errno));
  }
  const auto index = static_cast<size_t>(fd);
  if (handlers_.size() <= index) handlers_.resize(index + 1, nullptr);
  handlers_[index] = handler;
}

void EventLoop::modify(int fd, uint32_t events) {
  assertInLoopThread();
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) {
    IM_WARN("loop", std::string("epoll_ctl(MOD): ") + std::strerror(errno));
  }
}

void EventLoop::unwatch(int fd) {
  assertInLoopThread();
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  const auto index = static_cast<size_t>(fd);
  if (index < handlers_.size()) handlers_[index] = nullptr;
}

void EventLoop::wake() {
  const uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the loop will wake anyway.
  [[maybe_unused]] const ssize_t n = ::write(wake_.get(), &one, sizeof one);
}

void EventLoop::drainWake() {
  uint64_t count = 0;
  [[maybe_unused]] const ssize_t n = ::read(wake_.get(), &count, sizeof count);
}

void EventLoop::run() {
  epoll_event events[kMaxEventsPerWait];
  while (!quit_.load()) {
    const int ready = ::epoll_wait(epoll_.get(), events, kMaxEventsPerWait, timeoutMs());
    if (ready < 0 && errno != EINTR) {
      IM_ERROR("loop", std::string("epoll_wait: ") + std::strerror(errno));
      continue;
    }
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_.get()) {
        drainWake();
        continue;
      }
      // Looked up per event: an earlier handler in this batch may have unwatched this fd.
      const auto index = static_cast<size_t>(fd);
      IoHandler* const handler = index < handlers_.size() ? handlers_[index] : nullptr;
      if (handler) handler->onIo(fd, events[i].events);
    }
    runQueued();
    runDue();
  }
}

void EventLoop::runQueued() {
  std::vector<Task> tasks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks.swap(queued_);
  }
  for (const auto& task : tasks) runGuarded(task);
}

// By index: a task may add a source.
void EventLoop::runDue() {
  for (size_t i = 0; i < timers_.size(); ++i) {
    const NextDue due = timers_[i].due();
    if (due && *due <= 0) runGuarded(timers_[i].task);
  }
}

int EventLoop::timeoutMs() const {
  NextDue wait;
  for (const auto& t : timers_) wait = earliest(wait, t.due());
  return waitMs(wait);
}

int EventLoop::waitMs(NextDue untilDueMs) {
  if (!untilDueMs) return -1;
  return static_cast<int>(std::clamp<int64_t>(*untilDueMs, 0, INT_MAX));
}

}  // namespace im::net
