// SPDX-License-Identifier: MIT
// LoadGen.cc - the event loop and the connections. Level-triggered epoll and one 1 ms timerfd that
// paces connects and sends (LoadGenTick.cc); a connection's index in conns_ is its epoll cookie, so
// no per-event allocation.
#include "bench/LoadGen.h"

#include "bench/Backoff.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace im::bench {
namespace {

constexpr uint64_t kTimerCookie = UINT64_MAX;
constexpr uint64_t kControlCookie = UINT64_MAX - 1;
constexpr const char kMarker[] = "bench ";  // message bodies are "bench <CLOCK_MONOTONIC us>"

}  // namespace

LoadGen::LoadGen(LoadConfig config)
    : config_(std::move(config)),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      timer_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) {
  itimerspec spec{};
  spec.it_interval.tv_nsec = 1'000'000;
  spec.it_value.tv_nsec = 1'000'000;
  ::timerfd_settime(timer_.get(), 0, &spec, nullptr);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kTimerCookie;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, timer_.get(), &ev);
  if (config_.controlFd >= 0) {
    ev.data.u64 = kControlCookie;
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, config_.controlFd, &ev);
  }
}

LoadGen::~LoadGen() = default;  // every fd has its UniqueFd

int64_t LoadGen::nowUs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

LoadResult LoadGen::run() {
  const bool closed = config_.mode == Mode::Closed;
  const size_t polls = closed ? 0 : config_.pollers.size();
  const size_t senders = closed ? static_cast<size_t>(config_.sendConns)
                                : (config_.mode == Mode::Hold ? 0 : static_cast<size_t>(config_.sendConns));
  conns_.resize(polls + senders);
  for (size_t i = 0; i < polls; ++i) {
    conns_[i].user = static_cast<uint32_t>(i);
    conns_[i].since = config_.pollers[i].since;
    toConnect_.push_back(i);
  }
  for (size_t i = 0; i < senders; ++i) {
    Conn& c = conns_[polls + i];
    c.role = Role::Send;
    c.user = config_.senders.empty() ? 0 : static_cast<uint32_t>(i % config_.senders.size());
    openConn(polls + i);
  }
  lastTickUs_ = nowUs();
  if (closed) startPhase();
  std::vector<epoll_event> events(1024);
  while (!stop_) {
    const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), 100);
    for (int k = 0; k < n; ++k) {
      const uint64_t cookie = events[static_cast<size_t>(k)].data.u64;
      if (cookie == kTimerCookie) onTick();
      else if (cookie == kControlCookie) readControl();
      else onEvent(static_cast<size_t>(cookie), events[static_cast<size_t>(k)].events);
    }
  }
  if (capacity_) {
    result_.steps = capacity_->steps();
    for (const CapacityStep& step : result_.steps) sendsDue_ += step.due;
    result_.counters["capacity_late_deliveries"] = capacity_->late();
  }
  result_.counters["sends_due"] = sendsDue_;
  result_.counters["sends_written"] = sendsWritten_;
  return std::move(result_);
}

void LoadGen::openConn(size_t index) {
  Conn& c = conns_[index];
  c.fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
  if (!c.fd.valid()) {
    ++result_.counters["socket_errors"];
    closeConn(index, Reopen::BackOff);
    return;
  }
  if (!config_.sourceIp.empty()) {
    // Ports are then picked at connect() per 4-tuple, not per source address.
    const int one = 1;
    ::setsockopt(c.fd.get(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    ::inet_pton(AF_INET, config_.sourceIp.c_str(), &src.sin_addr);
    ::bind(c.fd.get(), reinterpret_cast<const sockaddr*>(&src), sizeof src);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(config_.port);
  ::inet_pton(AF_INET, config_.host.c_str(), &addr.sin_addr);
  const int rc = ::connect(c.fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  if (rc != 0 && errno != EINPROGRESS) {
    ++result_.counters["connect_errors"];
    closeConn(index, Reopen::BackOff);
    return;
  }
  c.connected = false;
  c.reader.reset();
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT;
  ev.data.u64 = index;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c.fd.get(), &ev);
}

void LoadGen::closeConn(size_t index, Reopen reopen) {
  Conn& c = conns_[index];
  c.fd.reset();  // close() also removes it from the epoll set
  c.connected = false;
  c.busy = false;
  if (reopen == Reopen::No || stop_) return;
  if (reopen == Reopen::Now) {
    if (c.role == Role::Send) openConn(index);
    else toConnect_.push_back(index);  // paced, like the first connect
  } else if (c.role == Role::Poll) {
    backOff(index, 0, "conn");
  } else {
    // A sender too waits before reconnecting: reopening at once recursed through openConn while
    // connect() kept failing at once (nothing listening).
    ++c.failures;
    ++result_.counters["send_reconnects"];
    retryLater(index, Backoff::delayUs(c.failures, 0, rng_));
  }
}

// A poll failed: try again after Backoff's delay (a closed connection reconnects then, paced).
// Counted per cause as poll_retries_<status> or poll_retries_conn.
void LoadGen::backOff(size_t index, int64_t retryAfterUs, const std::string& why) {
  Conn& c = conns_[index];
  ++c.failures;
  ++result_.counters["poll_retries_" + why];
  const int64_t delay = config_.noBackoff ? 0 : Backoff::delayUs(c.failures, retryAfterUs, rng_);
  if (retryAfterUs > 0 && delay == retryAfterUs) ++result_.counters["poll_retry_after_obeyed"];
  retryLater(index, delay);
}

void LoadGen::retryLater(size_t index, int64_t delayUs) {
  Conn& c = conns_[index];
  c.retryAtUs = nowUs() + delayUs;
  retry_.emplace(c.retryAtUs, index);
}

void LoadGen::onEvent(size_t index, uint32_t events) {
  Conn& c = conns_[index];
  if (!c.fd.valid()) return;
  if (events & (EPOLLERR | EPOLLHUP)) {
    if (!c.connected) ++result_.counters["connect_errors"];
    else ++result_.counters["conn_resets"];
    closeConn(index, Reopen::BackOff);
    return;
  }
  if (!c.connected && (events & EPOLLOUT)) {
    c.connected = true;
    if (c.role == Role::Poll) issuePoll(index);
    else if (config_.mode == Mode::Closed && started_) issueSend(index, nowUs());
    else idleSenders_.push_back(index);
  }
  if (events & EPOLLOUT) flush(index);
  if (c.fd.valid() && (events & EPOLLIN)) onReadable(index);
}

void LoadGen::flush(size_t index) {
  Conn& c = conns_[index];
  while (c.outPos < c.out.size()) {
    const ssize_t n = ::send(c.fd.get(), c.out.data() + c.outPos, c.out.size() - c.outPos, MSG_NOSIGNAL);
    if (n < 0 && errno == EAGAIN) break;
    if (n <= 0) {
      ++result_.counters["write_errors"];
      closeConn(index, Reopen::BackOff);
      return;
    }
    c.outPos += static_cast<size_t>(n);
  }
  epoll_event ev{};
  ev.events = c.outPos < c.out.size() ? EPOLLIN | EPOLLOUT : EPOLLIN;
  ev.data.u64 = index;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &ev);
}

void LoadGen::onReadable(size_t index) {
  char buffer[16384];
  const int fd = conns_[index].fd.get();
  while (fd >= 0 && conns_[index].fd.get() == fd) {  // onResponse may close it, and a sender's reopen
    Conn& c = conns_[index];
    const ssize_t n = ::recv(c.fd.get(), buffer, sizeof buffer, 0);
    if (n > 0) {
      if (c.reader.feed(buffer, static_cast<size_t>(n))) onResponse(index);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (c.busy && c.reader.finishAtEof()) onResponse(index);
    if (conns_[index].fd.get() != fd) return;  // onResponse closed it already (and maybe reopened)
    // EOF with a request in flight is an error; on an idle connection the server just ended it.
    const bool busy = conns_[index].busy;
    if (busy) ++result_.counters["conn_resets"];
    closeConn(index, busy ? Reopen::BackOff : Reopen::Now);
    return;
  }
}

void LoadGen::onResponse(size_t index) {
  Conn& c = conns_[index];
  if (c.reader.bad()) {
    ++result_.counters["bad_responses"];
    closeConn(index, Reopen::BackOff);
    return;
  }
  c.busy = false;
  const bool keep = c.reader.keepAlive();
  const int status = c.reader.status();
  const int64_t retryAfterUs = Backoff::parseRetryAfterUs(c.reader.header("Retry-After"));
  if (c.role == Role::Poll) onPollAnswer(c);
  else onSendAnswer(c);
  c.reader.next();
  // A poll's answer: 200 (and Nchan's 304 / 408, its "nothing new") re-polls at once, or after its
  // Retry-After (fcgi's short-poll answer when no pushd node is live); anything else backs off,
  // over a kept or a new connection.
  const bool answered = status == 200 || status == 304 || status == 408;
  if (answered || c.role == Role::Send) c.failures = 0;  // a sender's connection works: that is its success
  if (c.role == Role::Poll && answered && retryAfterUs > 0) ++result_.counters["poll_retry_after_on_200"];
  if (!keep) {
    if (c.role == Role::Poll && (!answered || retryAfterUs > 0)) {
      closeConn(index, Reopen::No);
      if (answered) retryLater(index, retryAfterUs);
      else backOff(index, retryAfterUs, std::to_string(status));
    } else {
      closeConn(index, Reopen::Now);
    }
    return;
  }
  if (c.role == Role::Poll) {
    if (!answered) backOff(index, retryAfterUs, std::to_string(status));
    else if (retryAfterUs > 0) retryLater(index, retryAfterUs);
    else issuePoll(index);
  } else if (config_.mode == Mode::Closed) {
    if (started_) issueSend(index, nowUs());
  } else {
    idleSenders_.push_back(index);
  }
}

void LoadGen::onPollAnswer(Conn& c) {
  const int status = c.reader.status();
  const std::string& body = c.reader.body();
  if (config_.protocol == Protocol::Nchan) {
    if (status == 200) {
      c.etag = c.reader.header("Etag");
      c.lastModified = c.reader.header("Last-Modified");
      countDeliveries(body);
    } else if (status != 304 && status != 408) {
      ++result_.counters["poll_status_" + std::to_string(status)];
    }
    return;
  }
  if (status != 200) {
    ++result_.counters["poll_status_" + std::to_string(status)];
    return;
  }
  if (const size_t next = body.rfind("\"next\":"); next != std::string::npos) {
    c.since = std::strtoull(body.c_str() + next + 7, nullptr, 10);
  }
  countDeliveries(body);
}

void LoadGen::countDeliveries(const std::string& body) {
  const int64_t now = nowUs();
  for (size_t pos = body.find(kMarker); pos != std::string::npos; pos = body.find(kMarker, pos + 1)) {
    const int64_t ts = std::strtoll(body.c_str() + pos + sizeof kMarker - 1, nullptr, 10);
    ++result_.counters["deliveries"];
    if (capacity_) {
      if (started_ && !delivered_.insert(ts).second) ++result_.counters["duplicates"];
      if (started_) capacity_->onDelivery(ts, now);
    } else if (config_.mode == Mode::Fanout) {
      if (ts == roundTs_) {
        roundArrivalsUs_.push_back(now - roundTs_);
      }
    } else if (started_) {
      result_.delivery.add(now - ts);
    }
  }
}

void LoadGen::onSendAnswer(Conn& c) {
  const int status = c.reader.status();
  ++result_.counters["send_status_" + std::to_string(status)];
  if (status >= 200 && status < 300 && started_) result_.send.add(nowUs() - c.sentUs);
  if (config_.mode == Mode::Fanout && roundTs_ != 0) roundAnsweredUs_ = nowUs();
}

void LoadGen::issuePoll(size_t index) {
  Conn& c = conns_[index];
  const User& u = config_.pollers[c.user];
  if (config_.protocol == Protocol::Nchan) {
    // Nchan's fan-out: every subscriber on the one channel `group`; otherwise a channel per user.
    const uint64_t channel = config_.mode == Mode::Fanout ? config_.group : u.uid;
    c.out = "GET /sub/" + std::to_string(channel) + " HTTP/1.1\r\nHost: bench\r\n";
    if (!c.etag.empty()) c.out += "If-None-Match: " + c.etag + "\r\n";
    if (!c.lastModified.empty()) c.out += "If-Modified-Since: " + c.lastModified + "\r\n";
    c.out += "\r\n";
  } else {
    c.out = "GET /im/poll?since=" + std::to_string(c.since) + "&timeout=" + std::to_string(config_.pollTimeout) +
            " HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer " + u.token + "\r\n\r\n";
  }
  c.outPos = 0;
  c.busy = true;
  ++result_.counters["polls_issued"];
  flush(index);
}

std::string LoadGen::sendBody(uint64_t to, int64_t ts) const {
  if (config_.protocol == Protocol::Nchan) return std::string(kMarker) + std::to_string(ts);
  if (config_.mode == Mode::Fanout) {
    return "{\"group\":" + std::to_string(config_.group) + ",\"body\":\"" + kMarker + std::to_string(ts) + "\"}";
  }
  if (config_.mode == Mode::Closed) {
    std::string b = config_.body;
    if (const size_t p = b.find("{to}"); p != std::string::npos) b.replace(p, 4, std::to_string(to));
    if (const size_t p = b.find("{ts}"); p != std::string::npos) b.replace(p, 4, std::to_string(ts));
    return b;
  }
  return "{\"to\":" + std::to_string(to) + ",\"body\":\"" + kMarker + std::to_string(ts) + "\"}";
}

// `ts` goes into the body: the write time, or (capacity) the scheduled time.
void LoadGen::issueSend(size_t index, int64_t ts) {
  Conn& c = conns_[index];
  uint64_t to = 0;
  if (config_.mode == Mode::Fanout) to = config_.group;
  else if (!config_.recipients.empty()) to = config_.recipients[rng_() % config_.recipients.size()];
  const std::string body = sendBody(to, ts);
  std::string method = "POST";
  std::string path = config_.protocol == Protocol::Nchan ? "/pub/" + std::to_string(to) : "/im/send";
  if (config_.mode == Mode::Closed) {
    method = config_.method;
    path = config_.path;
  }
  c.out = method + " " + path + " HTTP/1.1\r\nHost: bench\r\n";
  if (!config_.senders.empty()) c.out += "Authorization: Bearer " + config_.senders[c.user].token + "\r\n";
  if (method == "POST") {
    c.out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  } else {
    c.out += "\r\n";
  }
  if (config_.mode == Mode::Fanout) roundTs_ = ts;
  c.outPos = 0;
  c.busy = true;
  c.sentUs = nowUs();
  ++sendsWritten_;
  flush(index);
}

void LoadGen::readControl() {
  char buffer[64];
  const ssize_t n = ::read(config_.controlFd, buffer, sizeof buffer);
  if (n <= 0) {
    stop_ = true;  // the parent is gone
    return;
  }
  const std::string text(buffer, static_cast<size_t>(n));
  if (text.find("stop") != std::string::npos) stop_ = true;
  else if (text.find("go") != std::string::npos) startPhase();
}

void LoadGen::startPhase() {
  started_ = true;
  phaseStartUs_ = nowUs();
  nextRoundUs_ = phaseStartUs_;
  if (config_.mode == Mode::Closed) {
    for (size_t i = 0; i < conns_.size(); ++i) {
      if (conns_[i].connected && !conns_[i].busy) issueSend(i, nowUs());
    }
    idleSenders_.clear();
  }
  if (config_.mode == Mode::Capacity) {
    capacity_.emplace(config_.rates, config_.stepS, config_.drainS);
    capacity_->start(phaseStartUs_);
  }
}

}  // namespace im::bench
