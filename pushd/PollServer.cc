// SPDX-License-Identifier: MIT
// PollServer.cc - accept, read and parse the head, route, write once, close.
#include "pushd/PollServer.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <Poco/Net/SocketAddress.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "common/ApiError.h"
#include "common/HoldRequest.h"
#include "common/Log.h"
#include "pushd/net/HttpResponse.h"

namespace im::pushd {
namespace {

constexpr int kListenBacklog = 4096;
constexpr int kMaxAcceptsPerEvent = 256;  // then let the other ready sockets have a turn

common::UniqueFd openSpare() { return common::UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC)); }

}  // namespace

PollServer::PollServer(net::EventLoop& loop, const common::Clock& clock, Stats& stats, const std::string& host, int port,
                       const std::string& unixPath)
    : loop_(loop),
      clock_(clock),
      stats_(stats),
      listener_(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)), kListenBacklog),
      spare_(openSpare()),
      lastHeadCheckMs_(clock.steadyMs()) {
  listener_.setBlocking(false);
  listenFd_ = listener_.impl()->sockfd();
  port_ = listener_.address().port();
  if (!unixPath.empty()) unixListener_ = std::make_unique<UnixListener>(unixPath, kListenBacklog);
}

PollServer::~PollServer() {
  if (listenFd_ >= 0) loop_.unwatch(listenFd_);
  if (unixListener_) loop_.unwatch(unixListener_->fd());
  for (auto& [id, c] : byId_) loop_.unwatch(c->fd());
}

void PollServer::start(PollHandler& handler) {
  loop_.assertInLoopThread();
  handler_ = &handler;
  loop_.watch(listenFd_, EPOLLIN, this);
  if (unixListener_) {
    loop_.watch(unixListener_->fd(), EPOLLIN, this);
    IM_INFO("server", "also listening on " + unixListener_->path());
  }
  loop_.runWhenDue([this] { return net::fromNow(headCheckDueMs(), clock_.steadyMs()); }, [this] { closeSlowHeads(); });
}

void PollServer::stopAccepting() {
  loop_.assertInLoopThread();
  if (unixListener_) {
    loop_.unwatch(unixListener_->fd());
    unixListener_.reset();  // unlinks the file
  }
  if (listenFd_ < 0) return;
  loop_.unwatch(listenFd_);
  listener_.close();
  listenFd_ = -1;
}

size_t PollServer::connections() const {
  loop_.assertInLoopThread();
  return byId_.size();
}

void PollServer::onIo(int fd, uint32_t /*events*/) noexcept {
  try {
    if (fd == listenFd_) {
      acceptAll(fd, false);
    } else if (unixListener_ && fd == unixListener_->fd()) {
      acceptAll(fd, true);
    } else if (net::Connection* c = byFd(fd)) {
      if (c->state() == net::Connection::State::Writing) {
        onWritable(*c);
      } else {
        onReadable(*c);
      }
    }
  } catch (const std::exception& e) {
    IM_ERROR("server", std::string("event handler threw: ") + e.what());
  } catch (...) {
    IM_ERROR("server", "event handler threw a non-standard exception");
  }
}

// Both listeners' connections are handled alike; no peer address is asked for (a unix peer has
// none), and the one difference kept is the count per listener in /stats.
void PollServer::acceptAll(int listenFd, bool overUnix) {
  for (int i = 0; i < kMaxAcceptsPerEvent; ++i) {
    const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) acceptOverLimit(listenFd);
      else if (errno != EAGAIN && errno != EWOULDBLOCK) IM_WARN("server", std::string("accept: ") + std::strerror(errno));
      return;
    }
    stats_.countAccept(overUnix);
    auto c = std::make_unique<net::Connection>(common::UniqueFd(fd), nextId_++, clock_.steadyMs());
    loop_.watch(fd, EPOLLIN, this);
    if (byFd_.size() <= static_cast<size_t>(fd)) byFd_.resize(static_cast<size_t>(fd) + 1, nullptr);
    byFd_[static_cast<size_t>(fd)] = c.get();
    byId_.emplace(c->id(), std::move(c));
  }
}

// Out of descriptors (the node runs with a 20,000 open-file limit). With a level-triggered
// listener, leaving the pending connection in the queue would spin the loop at 100% CPU. As
// muduo's Acceptor does (after libev's documentation): free the reserved fd, accept the
// connection and close it at once (nginx answers 502 and the client re-polls), then reserve again.
void PollServer::acceptOverLimit(int listenFd) {
  spare_.reset();
  const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd >= 0) ::close(fd);
  spare_ = openSpare();
  ++refusedOverLimit_;
  const int64_t now = clock_.steadyMs();
  if (now - lastLimitWarningMs_ >= 1000) {  // one line per second, not one per refused connection
    IM_WARN("server", "out of file descriptors: refused " + std::to_string(refusedOverLimit_) + " connection(s)");
    lastLimitWarningMs_ = now;
    refusedOverLimit_ = 0;
  }
}

void PollServer::onReadable(net::Connection& c) {
  if (c.state() == net::Connection::State::Held) {
    const net::Connection::Io io = c.drain();
    if (io == net::Connection::Io::Again) return;
    // nginx closed the upstream connection: its client went away. Closed first, so the
    // handler's end of the poll (a close through PollResponder) finds nothing left to do.
    const PollId poll = c.tag();
    destroy(c);
    return handler_->clientGone(poll);
  }
  const net::Connection::Io io = c.readHead(kMaxHeadBytes);
  size_t headBytes = 0;
  switch (net::HttpRequestHead::scan(c.input(), kMaxHeadBytes, headBytes)) {
    case net::HttpRequestHead::Scan::Complete: {
      // Parsed once, here; route() and the hold codec read the parsed value.
      const auto head = net::HttpRequestHead::parse(std::string_view(c.input()).substr(0, headBytes));
      if (!head) return sendAndClose(c, net::HttpResponse::error(common::ErrorCode::BadRequest, "Malformed request head."));
      return route(c, *head);
    }
    case net::HttpRequestHead::Scan::TooLarge:
      return sendAndClose(c, net::HttpResponse::error(common::ErrorCode::BadRequest, "Request head too large."));
    case net::HttpRequestHead::Scan::Incomplete:
      if (io == net::Connection::Io::Eof || io == net::Connection::Io::Error) destroy(c);
      return;
  }
}

void PollServer::route(net::Connection& c, const net::HttpRequestHead& head) {
  using common::ErrorCode;
  const bool hold = head.path() == common::HoldRequest::kPath;
  if (!hold && head.path() != "/stats") return sendAndClose(c, net::HttpResponse::error(ErrorCode::NotFound, "No such route."));
  if (head.method() != "GET") {
    return sendAndClose(c, net::HttpResponse::error(ErrorCode::MethodNotAllowed, "Only GET is allowed here."));
  }
  if (!hold) return sendAndClose(c, net::HttpResponse::render(200, handler_->stats()));
  std::string error;
  auto request = common::HoldRequest::decode(head.query(), error);
  if (!request) return sendAndClose(c, net::HttpResponse::error(ErrorCode::BadRequest, error));
  // PollHandler's contract: a non-zero id means `c` was not answered, so it is still here; on
  // 0 it was answered (through respond()) and may be gone: it is not touched again.
  if (const PollId poll = handler_->hold(std::move(*request), c.id())) c.hold(poll);
}

void PollServer::respond(net::ConnectionId connection, Answer answer) {
  loop_.assertInLoopThread();
  const auto it = byId_.find(connection);
  if (it == byId_.end() || it->second->state() == net::Connection::State::Writing) return;
  sendAndClose(*it->second, net::HttpResponse::wrap(200, std::move(answer.body)), answer.pushStartUs);
}

void PollServer::close(net::ConnectionId connection) {
  loop_.assertInLoopThread();
  const auto it = byId_.find(connection);
  if (it != byId_.end()) destroy(*it->second);
}

// `pushStartUs` (0: untimed) comes with the answer (Answer::pushStartUs) and is kept only for
// the rare answer the socket does not take at once.
void PollServer::sendAndClose(net::Connection& c, std::string bytes, int64_t pushStartUs) {
  c.startWrite(std::move(bytes));
  const net::ConnectionId id = c.id();
  if (finishWrite(c, pushStartUs) == net::Connection::Io::Again && pushStartUs > 0) pushStartUs_.emplace(id, pushStartUs);
}

void PollServer::onWritable(net::Connection& c) {
  const auto timed = pushStartUs_.find(c.id());
  finishWrite(c, timed == pushStartUs_.end() ? 0 : timed->second);
}

// Writes what the socket takes; once all is written, closes and (when timed) ends the push leg.
net::Connection::Io PollServer::finishWrite(net::Connection& c, int64_t pushStartUs) {
  const net::Connection::Io io = c.flush();
  switch (io) {
    case net::Connection::Io::Again:
      loop_.modify(c.fd(), EPOLLOUT);
      break;
    case net::Connection::Io::Done:
      // The close sends the corked answer (Connection::flush): the push leg ends after it.
      destroy(c);
      if (pushStartUs > 0) stats_.recordPushLatencyUs(Stats::nowUs() - pushStartUs);
      break;
    default:
      // Within PollRegistry::answer, the line carries the poll's request id (req=).
      IM_INFO("server", "answer not written: the connection failed while writing");
      destroy(c);
  }
  return io;
}

void PollServer::destroy(net::Connection& c) {
  loop_.unwatch(c.fd());
  byFd_[static_cast<size_t>(c.fd())] = nullptr;
  if (!pushStartUs_.empty()) pushStartUs_.erase(c.id());
  byId_.erase(c.id());  // closes the socket
}

// A connection's head times out once it was open longer than kHeadTimeoutMs; one accepted after
// the last check (ids are handed out in order) cannot time out before that check's time + that.
net::NextDue PollServer::headCheckDueMs() const {
  if (nextId_ == firstUncheckedId_) return oldestHeadDueMs_;
  return net::earliest(oldestHeadDueMs_, lastHeadCheckMs_ + kHeadTimeoutMs + 1);
}

void PollServer::closeSlowHeads() {
  const int64_t now = clock_.steadyMs();
  std::vector<net::ConnectionId> slow;
  net::NextDue oldest;
  for (const auto& [id, c] : byId_) {
    if (c->state() != net::Connection::State::Reading) continue;
    if (now - c->openedMs() > kHeadTimeoutMs) slow.push_back(id);
    else oldest = net::earliest(oldest, c->openedMs());
  }
  for (const net::ConnectionId id : slow) close(id);
  oldestHeadDueMs_ = oldest ? net::NextDue(*oldest + kHeadTimeoutMs + 1) : std::nullopt;
  lastHeadCheckMs_ = now;
  firstUncheckedId_ = nextId_;
}

net::Connection* PollServer::byFd(int fd) const {
  const auto index = static_cast<size_t>(fd);
  return fd >= 0 && index < byFd_.size() ? byFd_[index] : nullptr;
}

}  // namespace im::pushd
