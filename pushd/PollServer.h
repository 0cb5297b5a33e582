// SPDX-License-Identifier: MIT
// PollServer.h - the HTTP side of a node: accepts nginx's proxied polls, reads each request head
// (at most kMaxHeadBytes), routes GET /hold and GET /stats, and writes the one answer per
// connection for PollRegistry (it is the registry's PollResponder).
#pragma once

#include <Poco/Net/ServerSocket.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/Clock.h"
#include "common/HoldRequest.h"
#include "common/UniqueFd.h"
#include "pushd/PollResponder.h"
#include "pushd/Stats.h"
#include "pushd/net/Connection.h"
#include "pushd/net/EventLoop.h"
#include "pushd/net/IoHandler.h"

namespace im::pushd {

class PollServer final : public net::IoHandler, public PollResponder {
 public:
  static constexpr size_t kMaxHeadBytes = 8192;
  static constexpr int64_t kHeadTimeoutMs = 10000;  // a client that never finishes its head

  // Called on the loop thread. onHold returns the held poll's id, or 0 if it was answered.
  using HoldCallback = std::function<PollId(const common::HoldRequest&, net::ConnectionId)>;
  using ClientGoneCallback = std::function<void(PollId)>;
  using StatsCallback = std::function<std::string()>;

  // Binds and listens at once (throws Poco::Net::NetException, e.g. address in use), so a
  // misconfigured node fails at startup. Constructing thread of `loop`.
  PollServer(net::EventLoop& loop, const common::Clock& clock, Stats& stats, const std::string& host, int port);
  ~PollServer() override;
  PollServer(const PollServer&) = delete;
  PollServer& operator=(const PollServer&) = delete;

  // Loop thread (or before the loop starts), before start().
  void setHoldCallback(HoldCallback cb) { onHold_ = std::move(cb); }
  void setClientGoneCallback(ClientGoneCallback cb) { onClientGone_ = std::move(cb); }
  void setStatsCallback(StatsCallback cb) { onStats_ = std::move(cb); }

  // Loop thread. Starts accepting.
  void start();
  // Loop thread. Closes the listening socket: nginx sends new polls to a live node.
  void stopAccepting();
  // Loop thread. Open connections (reading, held or writing).
  size_t connections() const;
  // Any thread. The bound port (useful when constructed with port 0).
  int port() const { return port_; }

  void respond(net::ConnectionId connection, std::string body, int64_t poppedUs) override;
  void close(net::ConnectionId connection) override;
  void onIo(int fd, uint32_t events) noexcept override;

 private:
  void acceptAll();
  void acceptOverLimit();
  void onReadable(net::Connection& c);
  void route(net::Connection& c);
  void sendAndClose(net::Connection& c, std::string bytes, int64_t poppedUs);
  void onWritable(net::Connection& c);
  void destroy(net::Connection& c);
  void closeSlowHeads();
  net::Connection* byFd(int fd) const;

  net::EventLoop& loop_;
  const common::Clock& clock_;
  Stats& stats_;
  Poco::Net::ServerSocket listener_;
  int listenFd_ = -1;  // -1 once stopAccepting ran
  int port_ = 0;
  common::UniqueFd spare_;     // reserved fd for the EMFILE trick (see acceptOverLimit)
  uint64_t refusedOverLimit_ = 0;
  int64_t lastLimitWarningMs_ = INT64_MIN / 2;
  HoldCallback onHold_;
  ClientGoneCallback onClientGone_;
  StatsCallback onStats_;
  net::ConnectionId nextId_ = 1;
  std::unordered_map<net::ConnectionId, std::unique_ptr<net::Connection>> byId_;
  std::vector<net::Connection*> byFd_;
};

}  // namespace im::pushd
