// SPDX-License-Identifier: MIT
// GapFilterTest.cc - invariant 4: only seqs consecutive from since + 1 are deliverable.
#include "pushd/GapFilter.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace im::pushd {
namespace {

SeqBuffer bufferOf(std::initializer_list<uint64_t> seqs) {
  SeqBuffer b;
  for (const uint64_t s : seqs) b.emplace(s, BufferedMessage{std::make_shared<const std::string>("{}"), 0});
  return b;
}

TEST(GapFilter, ReturnsTheConsecutiveRunAfterSince) {
  const auto b = bufferOf({5, 6, 7});
  const GapRun run = GapFilter::select(4, 100, &b);
  EXPECT_EQ(run.first, 5u);
  EXPECT_EQ(run.count, 3u);
  EXPECT_EQ(run.last(), 7u);
  EXPECT_FALSE(run.gap);
}

TEST(GapFilter, StopsAtTheFirstMissingSeq) {
  const auto b = bufferOf({5, 6, 8, 9});
  const GapRun run = GapFilter::select(4, 100, &b);
  EXPECT_EQ(run.first, 5u);
  EXPECT_EQ(run.count, 2u);
}

TEST(GapFilter, ReportsAGapWhenSincePlusOneIsMissing) {
  const auto b = bufferOf({9});
  const GapRun run = GapFilter::select(7, 100, &b);
  EXPECT_TRUE(run.empty());
  EXPECT_TRUE(run.gap);
}

TEST(GapFilter, StopsAtTheLimit) {
  const auto b = bufferOf({1, 2, 3, 4, 5});
  const GapRun run = GapFilter::select(0, 2, &b);
  EXPECT_EQ(run.first, 1u);
  EXPECT_EQ(run.count, 2u);
}

TEST(GapFilter, IgnoresStaleSeqsAtOrBelowSince) {
  const auto b = bufferOf({1, 2, 3});
  const GapRun run = GapFilter::select(3, 100, &b);
  EXPECT_TRUE(run.empty());
  EXPECT_FALSE(run.gap);
  const GapRun partly = GapFilter::select(2, 100, &b);
  EXPECT_EQ(partly.first, 3u);
  EXPECT_EQ(partly.count, 1u);
}

TEST(GapFilter, DuplicateNotificationsCountOnce) {
  SeqBuffer b = bufferOf({1, 2});
  b.emplace(2, BufferedMessage{std::make_shared<const std::string>("{\"dup\":1}"), 0});  // ignored by the map
  const GapRun run = GapFilter::select(0, 100, &b);
  EXPECT_EQ(run.count, 2u);
}

TEST(GapFilter, NothingBufferedIsNeitherARunNorAGap) {
  const GapRun none = GapFilter::select(3, 100, nullptr);
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.gap);
  const SeqBuffer empty;
  EXPECT_FALSE(GapFilter::select(3, 100, &empty).gap);
}

}  // namespace
}  // namespace im::pushd
