// SPDX-License-Identifier: MIT
// ScriptedServer.h - an HTTP server on loopback that answers each request with the next scripted
// reply and records what it was asked: the server side of the client's retry and cursor tests.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace im::cli::test {

struct Reply {
  int status;
  std::string body;
};

// Answers each request with the next scripted reply (the last one repeats) and records targets.
class Script {
 public:
  explicit Script(std::deque<Reply> replies) : replies_(std::move(replies)) {}
  Reply next(const std::string& target, const std::string& body) {
    const std::lock_guard lock(mutex_);
    targets_.push_back(target);
    bodies_.push_back(body);
    changed_.notify_all();
    const Reply r = replies_.front();
    if (replies_.size() > 1) replies_.pop_front();
    return r;
  }
  bool waitForRequests(size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return targets_.size() >= n; });
  }
  std::vector<std::string> targets() {
    const std::lock_guard lock(mutex_);
    return targets_;
  }
  std::vector<std::string> bodies() {
    const std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Reply> replies_;
  std::vector<std::string> targets_, bodies_;
};

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(Script& script) : script_(script) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    const Reply r = script_.next(request.getURI(), body);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
    response.setContentType("application/json; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(r.body.size()));
    response.send() << r.body;
  }

 private:
  Script& script_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Script& script) : script_(script) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(script_);  // Poco's server owns and deletes it
  }

 private:
  Script& script_;
};

// A Poco HTTPServer on a free loopback port answering from a Script.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::deque<Reply> replies) : script_(std::move(replies)) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(script_), socket, new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~ScriptedServer() { server_->stopAll(true); }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  Script& script() { return script_; }

 private:
  Script script_;
  uint16_t port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace im::cli::test
