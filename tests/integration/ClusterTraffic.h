// SPDX-License-Identifier: MIT
// ClusterTraffic.h - the load ClusterTest drives: hundreds of users re-polling with their last `next`
// while senders send, every answer recorded, and the checks and latency figures drawn from it.
#pragma once

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <chrono>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"
#include "tests/support/PollFleet.h"

namespace im::test {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;  // literals only: 10ms, 30s

// The poll timeout the simulated clients ask for.
constexpr int kPollTimeoutS = 20;

inline double msBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// One send as the sending client saw it, retries included.
struct SendRecord {
  int64_t from = 0;
  int64_t to = 0;
  std::string clientMsgId;
  int64_t msgId = 0;  // 0 while no attempt was answered 200
  int firstStatus = 0;  // 0: the connection failed
  int attempts = 0;
  bool duplicate = false;  // the 200 that counted said "duplicate": true
  long long storedAfterFailure = -1;  // rows with this client_msg_id right after a failed first attempt
  Clock::time_point firstTry{};
  Clock::time_point answeredAt{};
};

struct Delivery {
  int64_t seq = 0;
  int64_t msgId = 0;
  int64_t from = 0;
  Clock::time_point at{};
};

struct PollLog {
  size_t user = 0;
  Clock::time_point issued{};
  Clock::time_point at{};
  int status = 0;
  size_t messages = 0;
};

struct Receiver {
  TestUser user;
  int64_t next = 0;
  std::vector<Delivery> got;
  std::vector<std::string> violations;
};

// Every receiver keeps one long poll open (one PollFleet on one thread) and re-polls with its last
// `next`, as a client does, after the pause a Retry-After asks for. Sender threads send with client_msg_ids and retry
// a failed send with the same id until it is answered 200.
class Traffic {
 public:
  Traffic(Stack& stack, const std::vector<TestUser>& receivers) : stack_(stack) {
    for (const auto& u : receivers) {
      index_[u.id] = receivers_.size();
      receivers_.push_back(Receiver{u, 0, {}, {}});
    }
  }
  ~Traffic() {
    for (auto& t : senders_) {
      if (t.joinable()) t.join();
    }
    stopPolling();
  }
  Traffic(const Traffic&) = delete;
  Traffic& operator=(const Traffic&) = delete;

  void startPolling() { poller_ = std::thread([this] { pollLoop(); }); }
  void stopPolling() {
    stop_ = true;
    if (poller_.joinable()) poller_.join();
  }

  // Sender s sends `count` messages round-robin over targets[s], `gap` apart. `sqlOnFailure`: after
  // a failed attempt, count the stored rows with its client_msg_id before retrying.
  void startSending(const std::vector<TestUser>& senders, const std::vector<std::vector<int64_t>>& targets,
                    int count, std::chrono::milliseconds gap, const std::string& tag, bool sqlOnFailure) {
    sends_.resize(senders.size());
    for (size_t s = 0; s < senders.size(); ++s) {
      senders_.emplace_back([this, s, sender = senders[s], to = targets[s], count, gap, tag, sqlOnFailure] {
        ImClient api(stack_.http());
        for (int i = 0; i < count; ++i) {
          SendRecord r;
          r.from = sender.id;
          r.to = to[static_cast<size_t>(i) % to.size()];
          r.clientMsgId = tag + "-" + std::to_string(s) + "-" + std::to_string(i);
          r.firstTry = Clock::now();
          const std::string body = "m " + r.clientMsgId;
          while (r.msgId == 0 && r.attempts < 200) {
            ++r.attempts;
            int status = 0;
            std::string answer;
            try {
              const HttpResponse h = api.send(sender.token, r.to, body, r.clientMsgId);
              status = h.status;
              answer = h.body;
            } catch (const std::exception&) {
              status = 0;  // connection refused or reset
            }
            if (r.attempts == 1) r.firstStatus = status;
            if (status == 200) {
              const auto o = parseObject(answer);
              r.msgId = o->getValue<int64_t>("msg_id");
              r.duplicate = o->getValue<bool>("duplicate");
              r.answeredAt = Clock::now();
              break;
            }
            if (r.attempts == 1 && sqlOnFailure) {
              r.storedAfterFailure = stack_.sqlCount("SELECT COUNT(*) FROM messages WHERE sender_id = " +
                                                     std::to_string(sender.id) + " AND client_msg_id = '" +
                                                     r.clientMsgId + "'");
            }
            std::this_thread::sleep_for(100ms);
          }
          sends_[s].push_back(r);
          ++sent_;
          if (gap.count() > 0) std::this_thread::sleep_for(gap);
        }
      });
    }
  }
  void waitSenders() {
    for (auto& t : senders_) t.join();
    senders_.clear();
  }
  int sent() const { return sent_.load(); }
  bool waitSent(int n, std::chrono::seconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (sent_.load() < n && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
    return sent_.load() >= n;
  }

  std::vector<SendRecord> sends() const {
    std::vector<SendRecord> all;
    for (const auto& list : sends_) all.insert(all.end(), list.begin(), list.end());
    return all;
  }
  // Deliveries the receivers must see: each message once for its sender and once for its recipient.
  size_t expectedDeliveries() const {
    size_t n = 0;
    for (const auto& r : sends()) {
      n += index_.count(r.to) + (r.from != r.to ? index_.count(r.from) : 0);
    }
    return n;
  }
  bool waitDelivered(std::chrono::seconds timeout) const {
    const size_t want = expectedDeliveries();
    const auto deadline = Clock::now() + timeout;
    while (delivered_.load() < want && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
    return delivered_.load() >= want;
  }
  // Until every receiver has a poll held by pushd (it reached a node and is waiting).
  bool waitHeld(std::chrono::seconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (stack_.heldPolls() >= static_cast<int>(receivers_.size())) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  // Valid once polling stopped.
  const std::vector<Receiver>& receivers() const { return receivers_; }
  const std::vector<PollLog>& pollLog() const { return log_; }
  size_t delivered() const { return delivered_.load(); }
  int retryAfters() const { return retryAfters_.load(); }

 private:
  void pollLoop() {
    PollFleet fleet("127.0.0.1", stack_.http().port());
    constexpr size_t kNone = static_cast<size_t>(-1);
    std::vector<size_t> pending(receivers_.size(), kNone);
    std::vector<Clock::time_point> issued(receivers_.size());
    std::vector<Clock::time_point> notBefore(receivers_.size());
    while (!stop_) {
      const auto now = Clock::now();
      for (size_t u = 0; u < receivers_.size(); ++u) {
        if (pending[u] != kNone || now < notBefore[u]) continue;
        issued[u] = Clock::now();
        pending[u] = fleet.add("/im/poll?since=" + std::to_string(receivers_[u].next) +
                                   "&timeout=" + std::to_string(kPollTimeoutS) + "&limit=500",
                               receivers_[u].user.token);
      }
      fleet.pump(20ms);
      for (size_t u = 0; u < receivers_.size(); ++u) {
        if (pending[u] == kNone || !fleet.answer(pending[u]).done) continue;
        const PollFleet::Answer a = fleet.answer(pending[u]);
        pending[u] = kNone;
        PollLog entry{u, issued[u], a.at, a.error.empty() ? a.status : 0, 0};
        if (entry.status != 200) {
          log_.push_back(entry);
          notBefore[u] = Clock::now() + 200ms;
          continue;
        }
        entry.messages = absorb(receivers_[u], a);
        log_.push_back(entry);
        const auto wait = retryAfter(a.head);
        if (wait.count() > 0) ++retryAfters_;
        notBefore[u] = Clock::now() + wait;
      }
    }
  }

  // A client obeys Retry-After (fcgi sends it when no node or no Redis can hold the poll).
  static std::chrono::seconds retryAfter(std::string head) {
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const size_t at = head.find("\r\nretry-after:");
    return at == std::string::npos ? 0s : std::chrono::seconds(std::atoi(head.c_str() + at + 15));
  }

  // Checks one 200 answer (consecutive from since + 1, next = the last seq) and records it.
  size_t absorb(Receiver& r, const PollFleet::Answer& a) {
    try {
      const auto body = parseObject(a.body);
      const auto messages = body->getArray("messages");
      int64_t expected = r.next + 1;
      for (size_t i = 0; messages && i < messages->size(); ++i) {
        const auto m = messages->getObject(static_cast<unsigned>(i));
        Delivery d{m->getValue<int64_t>("seq"), m->getValue<int64_t>("msg_id"), m->getValue<int64_t>("from"), a.at};
        if (d.seq != expected) {
          r.violations.push_back("seq " + std::to_string(d.seq) + " where " + std::to_string(expected) +
                                 " was due: " + a.body.substr(0, 300));
        }
        expected = d.seq + 1;
        r.got.push_back(d);
        ++delivered_;
      }
      const int64_t next = body->getValue<int64_t>("next");
      if (next != expected - 1) r.violations.push_back("next " + std::to_string(next) + " in " + a.body.substr(0, 300));
      r.next = next;
      return messages ? messages->size() : 0;
    } catch (const std::exception& e) {
      r.violations.push_back(std::string("unparsable answer: ") + e.what() + ": " + a.body.substr(0, 200));
      return 0;
    }
  }

  Stack& stack_;
  std::vector<Receiver> receivers_;
  std::map<int64_t, size_t> index_;
  std::vector<PollLog> log_;
  std::vector<std::vector<SendRecord>> sends_;
  std::vector<std::thread> senders_;
  std::thread poller_;
  std::atomic<bool> stop_{false};
  std::atomic<int> sent_{0};
  std::atomic<size_t> delivered_{0};
  std::atomic<int> retryAfters_{0};
};

// Every message answered 200 reached its sender's and recipient's inbox exactly once, in seq order

struct Latency {
  size_t count = 0;
  double p50 = 0;
  double max = 0;
};

// Every message answered 200 reached its sender's and recipient's inbox exactly once, in seq order
// 1, 2, 3 ... per receiver, and a sender's messages in the order it sent them.
void ExpectExactlyOnceInOrder(const Traffic& traffic);
// From a message's 200 to its arrival at `uid` (0 when the poll answer beat the send's answer).
Latency latencies(const Traffic& traffic, Clock::time_point from, Clock::time_point to,
                  const std::set<int64_t>& only = {});
std::string show(const Latency& l);
// After a fault, senders done: every message reaches its receivers (within a poll timeout and
// more), polls are held by pushd again, then polling stops and ExpectExactlyOnceInOrder checks.
void ExpectRecoveredExactlyOnce(Traffic& traffic);
// Polls issued before `at` and answered after it only by their timeout: lost wake-ups across a fault.
size_t timedOutAcross(const Traffic& traffic, Clock::time_point at);
// The first arrival, at one of `uids`, of a message answered 200 after `at`: ms after `at`.
double firstDeliveryAfter(const Traffic& traffic, Clock::time_point at, const std::set<int64_t>& uids);

}  // namespace im::test
