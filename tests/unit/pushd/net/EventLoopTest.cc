// SPDX-License-Identifier: MIT
// EventLoopTest.cc - cross-thread tasks and periodic tasks on a running loop.
#include "pushd/net/EventLoop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace im::net {
namespace {

TEST(EventLoop, RunsTasksFromOtherThreadsOnTheLoopThread) {
  EventLoop loop;
  loop.start();
  std::promise<bool> onLoop;
  std::thread other([&] { loop.runInLoop([&] { onLoop.set_value(loop.isInLoopThread()); }); });
  other.join();
  EXPECT_TRUE(onLoop.get_future().get());
  EXPECT_FALSE(loop.isInLoopThread());
  loop.stop();
  EXPECT_TRUE(loop.isInLoopThread());  // ownership came back
}

TEST(EventLoop, RunsPeriodicTasksAndSurvivesAThrowingTask) {
  EventLoop loop;
  std::atomic<int> ticks{0};
  loop.runEvery(5, [&] { ++ticks; });
  loop.start();
  loop.queueInLoop([] { throw std::runtime_error("boom"); });
  while (ticks.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  loop.stop();
  SUCCEED();
}

}  // namespace
}  // namespace im::net
