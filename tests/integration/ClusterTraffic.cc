// SPDX-License-Identifier: MIT
// ClusterTraffic.cc - the checks and latency figures ClusterTest draws from a recorded Traffic.
#include "tests/integration/ClusterTraffic.h"

#include <gtest/gtest.h>

namespace im::test {

void ExpectExactlyOnceInOrder(const Traffic& traffic) {
  std::map<int64_t, std::map<int64_t, int>> expected;  // uid -> msg_id -> 0
  for (const auto& s : traffic.sends()) {
    ASSERT_NE(s.msgId, 0) << s.clientMsgId << " was never answered 200 (first status " << s.firstStatus << ")";
    expected[s.to][s.msgId] = 0;
    expected[s.from][s.msgId] = 0;
  }
  int reported = 0;
  for (const auto& r : traffic.receivers()) {
    for (const auto& v : r.violations) {
      ADD_FAILURE() << r.user.name << ": " << v;
      if (++reported > 10) return;
    }
    auto& want = expected[r.user.id];
    std::map<int64_t, int64_t> lastFrom;
    for (size_t i = 0; i < r.got.size(); ++i) {
      const Delivery& d = r.got[i];
      EXPECT_EQ(d.seq, static_cast<int64_t>(i + 1)) << r.user.name;
      const auto it = want.find(d.msgId);
      if (it == want.end()) {
        ADD_FAILURE() << r.user.name << " got msg " << d.msgId << " that nobody sent to it";
      } else if (++it->second > 1) {
        ADD_FAILURE() << r.user.name << " got msg " << d.msgId << " " << it->second << " times";
      }
      EXPECT_LT(lastFrom[d.from], d.msgId) << r.user.name << ": messages of " << d.from << " out of order";
      lastFrom[d.from] = d.msgId;
      if (::testing::Test::HasFailure() && ++reported > 10) return;
    }
    for (const auto& [msgId, seen] : want) {
      if (seen == 0) ADD_FAILURE() << r.user.name << " never got msg " << msgId;
      if (seen == 0 && ++reported > 10) return;
    }
  }
}



Latency latencies(const Traffic& traffic, Clock::time_point from, Clock::time_point to,
                  const std::set<int64_t>& only) {
  std::map<std::pair<int64_t, int64_t>, Clock::time_point> answered;  // (uid, msg) -> 200
  for (const auto& s : traffic.sends()) {
    if (s.answeredAt < from || s.answeredAt >= to) continue;
    answered[{s.to, s.msgId}] = s.answeredAt;
    answered[{s.from, s.msgId}] = s.answeredAt;
  }
  std::vector<double> ms;
  for (const auto& r : traffic.receivers()) {
    if (!only.empty() && !only.count(r.user.id)) continue;
    for (const auto& d : r.got) {
      const auto it = answered.find({r.user.id, d.msgId});
      if (it != answered.end()) ms.push_back(std::max(0.0, msBetween(it->second, d.at)));
    }
  }
  Latency l;
  if (ms.empty()) return l;
  std::sort(ms.begin(), ms.end());
  l.count = ms.size();
  l.p50 = ms[ms.size() / 2];
  l.max = ms.back();
  return l;
}

std::string show(const Latency& l) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << "n=" << l.count << " p50=" << l.p50 << " ms max=" << l.max << " ms";
  return out.str();
}

void ExpectRecoveredExactlyOnce(Traffic& traffic) {
  EXPECT_TRUE(traffic.waitDelivered(std::chrono::seconds(kPollTimeoutS + 10)))
      << traffic.delivered() << " of " << traffic.expectedDeliveries() << " delivered";
  const bool heldAgain = traffic.waitHeld(std::chrono::seconds(kPollTimeoutS + 5));
  traffic.stopPolling();
  EXPECT_TRUE(heldAgain) << "polls never went back to long polling";
  ExpectExactlyOnceInOrder(traffic);
}

size_t timedOutAcross(const Traffic& traffic, Clock::time_point at) {
  size_t n = 0;
  for (const auto& p : traffic.pollLog()) {
    n += p.issued < at && p.at > at && p.at - p.issued >= std::chrono::seconds(kPollTimeoutS) - 500ms;
  }
  return n;
}

double firstDeliveryAfter(const Traffic& traffic, Clock::time_point at, const std::set<int64_t>& uids) {
  std::set<int64_t> after;
  for (const auto& s : traffic.sends()) {
    if (s.answeredAt >= at) after.insert(s.msgId);
  }
  double first = -1;
  for (const auto& r : traffic.receivers()) {
    if (!uids.count(r.user.id)) continue;
    for (const auto& d : r.got) {
      if (after.count(d.msgId) && (first < 0 || msBetween(at, d.at) < first)) first = msBetween(at, d.at);
    }
  }
  return first;
}

}  // namespace im::test
