// SPDX-License-Identifier: MIT
// LoadGen.h - one process of im-loadgen: an epoll loop that holds long polls (HTTP/1.1 keep-alive,
// each re-issued with the last `next`), sends at a fixed rate from a pool of keep-alive connections
// and times every delivery from the CLOCK_MONOTONIC microseconds embedded in the message body.
//
// Flow: run() connects the polls at `connectRate`, then waits for "go" on the control pipe (from the
// parent, once pushd reports them held), runs the mode's send phase, and returns when the mode is
// done or "stop" arrives. Modes: hold (no sends), latency (open loop at `sendRate`), fanout (one
// group send per round, waits for every member's answer, then for pushd to hold every member's
// next poll again), closed (C connections, back-to-back requests), capacity (open loop stepped up
// through `rates`, see CapacitySteps). A poll that fails backs off (Backoff) before trying again,
// unless `noBackoff` (the misbehaving population of bench's targets: it re-polls at once).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench/CapacitySteps.h"
#include "bench/HttpReader.h"
#include "bench/LoadMode.h"
#include "bench/Samples.h"
#include "common/UniqueFd.h"

namespace im::bench {

struct User {
  uint64_t uid = 0;
  std::string token;
  uint64_t since = 0;  // the inbox cursor a poller resumes from, as a client that kept its `next`
};

struct LoadConfig {
  Mode mode = Mode::Hold;
  Protocol protocol = Protocol::Im;
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string sourceIp;         // bind() source: each process its own 127.0.0.x, so ports never run out
  std::vector<User> pollers;    // this process's held polls
  std::vector<User> senders;
  std::vector<uint64_t> recipients;  // every poller of every process: random send targets
  int pollTimeout = 60;
  double connectRate = 2000;    // new poll connections per second (this process)
  double sendRate = 0;          // latency: sends per second (this process)
  int sendConns = 16;
  double durationS = 10;        // latency / closed: length of the send phase
  uint64_t group = 0;           // fanout: the group (im), or the one channel every poller subscribes to (nchan)
  int rounds = 20;
  std::string method = "GET";   // closed
  std::string path = "/im/health";
  std::string body;             // closed: "{to}" -> random recipient, "{ts}" -> now
  std::vector<std::string> heldUrls;  // fanout: pushd /stats (or Nchan's status), summed before each round
  std::string heldKey = "held_polls";  // the number after this key in each heldUrls answer
  std::vector<double> rates;    // capacity: offered sends/s, one step each
  double stepS = 8;             // capacity: length of a step's send phase
  double drainS = 2;            // latency: after the last send, wait for stragglers; capacity: per step
  // A misbehaving client population: a failed poll re-polls at once (no back-off, Retry-After
  // ignored), what turns an overflow into a storm unless the server sheds it cheaply.
  bool noBackoff = false;
  int controlFd = -1;
};

struct LoadResult {
  std::map<std::string, uint64_t> counters;
  Samples delivery;  // send written -> message read by the poll (us)
  Samples send;      // send written -> send answered (us)
  Samples fanout;    // per round: send written -> last member's delivery (us)
  // per round: send answered -> last member's delivery (us). The send answers after its commit and
  // notification, so the commit -> last delivery time lies between this and `fanout`.
  Samples fanoutAfterAnswer;
  // per round: send written -> the first member's and the median member's delivery (us): where
  // the round's time goes (the send and its notification, then the wave of answers).
  Samples fanoutFirst, fanoutMedian;
  std::vector<CapacityStep> steps;  // capacity: the judged steps, in order
  double sendPhaseS = 0;
};

class LoadGen {
 public:
  explicit LoadGen(LoadConfig config);
  ~LoadGen();
  LoadGen(const LoadGen&) = delete;
  LoadGen& operator=(const LoadGen&) = delete;

  LoadResult run();

 private:
  enum class Role : uint8_t { Poll, Send };
  // After a close: not at all, at once (the server ended a healthy keep-alive connection), or
  // after a back-off (an error: refused, reset, unparsable).
  enum class Reopen : uint8_t { No, Now, BackOff };
  struct Conn {
    common::UniqueFd fd;
    Role role = Role::Poll;
    bool connected = false;
    bool busy = false;        // a request is in flight
    uint32_t user = 0;        // index into pollers or senders
    uint64_t since = 0;
    int64_t sentUs = 0;
    std::string out;
    size_t outPos = 0;
    HttpReader reader;
    std::string etag, lastModified;  // Nchan's long-poll cursor
    unsigned failures = 0;    // consecutive failures: 0 after an answer
    int64_t retryAtUs = 0;    // the pending retry_ entry (older entries are stale)
  };

  static int64_t nowUs();
  void openConn(size_t index);
  void closeConn(size_t index, Reopen reopen);
  void backOff(size_t index, int64_t retryAfterUs, const std::string& why);
  void retryLater(size_t index, int64_t delayUs);
  void onEvent(size_t index, uint32_t events);
  void onReadable(size_t index);
  void onResponse(size_t index);
  void onPollAnswer(Conn& c);
  void onSendAnswer(Conn& c);
  void flush(size_t index);
  void issuePoll(size_t index);
  void issueSend(size_t index, int64_t ts);
  void onTick();
  void tickConnects(int64_t now);
  void tickRetries(int64_t now);
  // The send phase of each mode, once per tick after "go".
  void tickLatency(int64_t now, double elapsedS);
  void tickClosed(double elapsedS);
  void tickCapacity(int64_t now, double elapsedS);
  void tickFanout(int64_t now);
  void endFanoutRound(int64_t now);
  void readControl();
  void startPhase();
  bool everyMemberHeld(int64_t now);
  void countDeliveries(const std::string& body);
  std::string sendBody(uint64_t to, int64_t ts) const;

  LoadConfig config_;
  LoadResult result_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::vector<Conn> conns_;
  common::UniqueFd epoll_;
  common::UniqueFd timer_;
  std::deque<size_t> toConnect_;
  // Failed polls (and senders' reconnects) waiting for their retry (Backoff), earliest first:
  // re-polling at once turns one full fcgi backlog (nginx's 503) into a storm. An entry whose time
  // is not its Conn's retryAtUs was superseded.
  std::priority_queue<std::pair<int64_t, size_t>, std::vector<std::pair<int64_t, size_t>>, std::greater<>> retry_;
  std::vector<size_t> idleSenders_;
  double connectCredit_ = 0;
  int64_t lastTickUs_ = 0;
  bool started_ = false;
  bool stop_ = false;
  int64_t phaseStartUs_ = 0;
  uint64_t sendsDue_ = 0;
  uint64_t sendsWritten_ = 0;
  // fanout: the round in flight
  int64_t roundTs_ = 0;
  std::vector<int64_t> roundArrivalsUs_;  // this round's deliveries, send written -> read (us), in order
  int64_t roundAnsweredUs_ = 0;  // the round's send answered (0: not yet)
  int roundsDone_ = 0;
  int64_t nextRoundUs_ = 0;
  int64_t nextHeldCheckUs_ = 0;
  int64_t roundEndedUs_ = 0;
  bool roundHeld_ = false;
  std::optional<CapacitySteps> capacity_;
  // capacity: the scheduled instants delivered so far (each send has its own): a second delivery
  // of one is counted as `duplicates`.
  std::unordered_set<int64_t> delivered_;
};

}  // namespace im::bench
