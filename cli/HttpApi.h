// SPDX-License-Identifier: MIT
// HttpApi.h - shared/API.md as C++ calls over one keep-alive HTTP connection (Poco::Net).
// Every call answers the parsed JSON body (null for a 204) or throws ApiFailure.
// Not thread safe: each thread that talks to the server owns its HttpApi; only interrupt()
// may be called from another thread.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace im::cli {

// A conversation: a direct one (`to` = the other user) or a group.
struct Peer {
  uint64_t user = 0;
  uint64_t group = 0;
  bool isGroup() const { return group != 0; }
  bool empty() const { return user == 0 && group == 0; }
};

using JsonPtr = Poco::JSON::Object::Ptr;

class HttpApi {
 public:
  // `url`: "http://host:port" (a path prefix before /im/ is kept). Throws std::invalid_argument.
  explicit HttpApi(const std::string& url);
  ~HttpApi();
  HttpApi(const HttpApi&) = delete;
  HttpApi& operator=(const HttpApi&) = delete;

  void setToken(const std::string& token) { token_ = token; }
  const std::string& url() const { return url_; }
  // Retry-After of the last answer, 2xx included (0 when absent).
  int lastRetryAfterS() const { return lastRetryAfterS_; }

  JsonPtr registerUser(const std::string& username, const std::string& password);
  JsonPtr login(const std::string& username, const std::string& password, const std::string& device);
  void logout();
  JsonPtr send(const Peer& to, const std::string& body, const std::string& clientMsgId);
  JsonPtr poll(uint64_t since, int timeoutS);
  JsonPtr history(const Peer& peer, int limit);
  JsonPtr online();
  JsonPtr users(const std::string& prefix, int limit);
  JsonPtr conversations(int limit);
  JsonPtr search(const std::string& query, const Peer& within, int limit);
  void markRead(const Peer& peer, uint64_t msgId);
  void typing(const Peer& peer);
  JsonPtr groups();
  JsonPtr group(uint64_t groupId);
  JsonPtr createGroup(const std::string& name, const std::vector<uint64_t>& members);
  void addMembers(uint64_t groupId, const std::vector<uint64_t>& users);
  void removeMember(uint64_t groupId, uint64_t user);
  void join(uint64_t groupId);
  void leave(uint64_t groupId);

  // Any thread: makes a call in progress on this object fail at once (used to stop a long poll).
  void interrupt();

 private:
  JsonPtr call(const std::string& method, const std::string& target, const std::string& body, int timeoutS);
  void resetSession();

  std::string url_;
  std::string prefix_;  // path before "/im/", without a trailing slash
  std::string token_;
  std::mutex sessionMutex_;  // guards session_ replacement against interrupt()
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  std::string host_;
  uint16_t port_ = 0;
  int lastRetryAfterS_ = 0;
};

}  // namespace im::cli
