// SPDX-License-Identifier: MIT
// EventLoopTest.cc - cross-thread tasks and timer sources on a running loop, and the wait it
// computes from the earliest source.
#include "pushd/net/EventLoop.h"

#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <future>
#include <stdexcept>
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

TEST(EventLoop, WaitsForTheEarliestSourceAndWithoutATimeoutWhenNoneHasWork) {
  EXPECT_EQ(EventLoop::waitMs(std::nullopt), -1);
  EXPECT_EQ(EventLoop::waitMs(250), 250);
  EXPECT_EQ(EventLoop::waitMs(0), 0);
  EXPECT_EQ(EventLoop::waitMs(-7), 0) << "overdue: do not wait";
  EXPECT_EQ(EventLoop::waitMs(int64_t{1} << 40), INT_MAX);
  EXPECT_EQ(earliest(std::nullopt, 30), NextDue(30));
  EXPECT_EQ(earliest(40, 30), NextDue(30));
  EXPECT_EQ(earliest(std::nullopt, std::nullopt), std::nullopt);
  EXPECT_EQ(fromNow(1500, 1000), NextDue(500));
  EXPECT_EQ(fromNow(std::nullopt, 1000), std::nullopt);
}

// The loop sleeps without a timeout while nothing is due; a source armed by a task from another
// thread (runInLoop) and one armed for later must both still run: the loop recomputes its wait
// after every task, and sleeps only until the earliest source.
TEST(EventLoop, RunsASourceArmedFromAnotherThreadWhileTheLoopSleeps) {
  EventLoop loop;
  int64_t dueAt = -1;  // loop thread; -1: nothing to do
  std::promise<void> fired;
  const auto now = [] { return std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch()).count(); };
  loop.runWhenDue([&] { return dueAt < 0 ? NextDue() : NextDue(dueAt - now()); },
                  [&] {
                    dueAt = -1;
                    fired.set_value();
                  });
  loop.start();
  std::thread other([&] { loop.runInLoop([&] { dueAt = now() + 20; }); });
  other.join();
  EXPECT_EQ(fired.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  loop.stop();
}

TEST(EventLoop, SurvivesThrowingTasks) {
  EventLoop loop;
  int runs = 0;  // loop thread
  std::promise<void> thrice;
  loop.runWhenDue([&] { return runs < 3 ? NextDue(0) : NextDue(); },
                  [&] {
                    if (++runs == 3) thrice.set_value();
                    throw std::runtime_error("boom");
                  });
  loop.queueInLoop([] { throw std::runtime_error("boom"); });
  loop.start();
  thrice.get_future().wait();
  std::promise<bool> alive;
  loop.runInLoop([&] { alive.set_value(true); });
  EXPECT_TRUE(alive.get_future().get());
  loop.stop();
}

}  // namespace
}  // namespace im::net
