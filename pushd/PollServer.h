// SPDX-License-Identifier: MIT
// PollServer.h - the HTTP side of a node: accepts nginx's proxied polls on its TCP port and, when
// configured, on its unix socket (same handling: nothing reads a peer address), parses each
// request head once (at most kMaxHeadBytes), routes GET /hold and GET /stats to its PollHandler,
// and writes the one answer per connection (it is the registry's PollResponder).
#pragma once

#include <Poco/Net/ServerSocket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/Clock.h"
#include "common/UniqueFd.h"
#include "pushd/PollHandler.h"
#include "pushd/PollResponder.h"
#include "pushd/Stats.h"
#include "pushd/UnixListener.h"
#include "pushd/net/Connection.h"
#include "pushd/net/EventLoop.h"
#include "pushd/net/HttpRequestHead.h"
#include "pushd/net/IoHandler.h"

namespace im::pushd {

// The seam with the registry is one mechanism each way: the server calls its PollHandler, the
// registry calls the server as PollResponder. Virtual both ways, not callbacks beside an
// interface: each side is tested against a fake of the other, and each interface is the one
// place that says what the callee may do during a call (docs/internals.md "Inside a push node").
// Loop thread only, but for port().
class PollServer final : public net::IoHandler, public PollResponder {
 public:
  static constexpr size_t kMaxHeadBytes = 8192;
  static constexpr int64_t kHeadTimeoutMs = 10000;  // a client that never finishes its head

  // Binds and listens at once (throws Poco::Net::NetException, e.g. address in use, or
  // std::runtime_error for the unix socket), so a misconfigured node fails at startup.
  // `unixPath` "": TCP only. Constructing thread of `loop`.
  PollServer(net::EventLoop& loop, const common::Clock& clock, Stats& stats, const std::string& host, int port,
             const std::string& unixPath = "");
  ~PollServer() override;
  PollServer(const PollServer&) = delete;
  PollServer& operator=(const PollServer&) = delete;

  // Loop thread (or before the loop starts). Starts accepting; `handler` gets every /hold and
  // /stats from now on and must outlive the server (PushdApp: the registry).
  void start(PollHandler& handler);
  // Loop thread. Closes the listening sockets (unlinking the unix one): nginx sends new polls to
  // a live node.
  void stopAccepting();
  // Loop thread. Open connections (reading, held or writing).
  size_t connections() const;
  // Any thread. The bound port (useful when constructed with port 0).
  int port() const { return port_; }

  void respond(net::ConnectionId connection, Answer answer) override;
  void close(net::ConnectionId connection) override;
  void onIo(int fd, uint32_t events) noexcept override;

 private:
  void acceptAll(int listenFd, bool overUnix);
  void acceptOverLimit(int listenFd);
  void onReadable(net::Connection& c);
  void route(net::Connection& c, const net::HttpRequestHead& head);
  void sendAndClose(net::Connection& c, std::string bytes, int64_t pushStartUs = 0);
  void onWritable(net::Connection& c);
  net::Connection::Io finishWrite(net::Connection& c, int64_t pushStartUs);
  void destroy(net::Connection& c);
  net::NextDue headCheckDueMs() const;
  void closeSlowHeads();
  net::Connection* byFd(int fd) const;

  net::EventLoop& loop_;
  const common::Clock& clock_;
  Stats& stats_;
  Poco::Net::ServerSocket listener_;
  int listenFd_ = -1;  // -1 once stopAccepting ran
  std::unique_ptr<UnixListener> unixListener_;  // null: TCP only, or once stopAccepting ran
  int port_ = 0;
  common::UniqueFd spare_;     // reserved fd for the EMFILE trick (see acceptOverLimit)
  uint64_t refusedOverLimit_ = 0;
  int64_t lastLimitWarningMs_ = INT64_MIN / 2;
  PollHandler* handler_ = nullptr;  // set by start()
  net::ConnectionId nextId_ = 1;
  std::unordered_map<net::ConnectionId, std::unique_ptr<net::Connection>> byId_;
  std::vector<net::Connection*> byFd_;
  // Timed answers a full socket buffer left half written (rare), with their push leg's start.
  std::unordered_map<net::ConnectionId, int64_t> pushStartUs_;
  // closeSlowHeads() runs only when a head can have timed out: when the oldest head still being
  // read at the last check does, or kHeadTimeoutMs after that check if connections came since.
  int64_t lastHeadCheckMs_;
  net::ConnectionId firstUncheckedId_ = 1;  // ids from here on were accepted after that check
  net::NextDue oldestHeadDueMs_;
};

}  // namespace im::pushd
