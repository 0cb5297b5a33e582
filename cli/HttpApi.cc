// SPDX-License-Identifier: MIT
// HttpApi.cc - request building, the one HTTP exchange, and error bodies -> ApiFailure.
#include "cli/HttpApi.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <stdexcept>

#include "cli/ApiFailure.h"
#include "common/Json.h"

namespace im::cli {
namespace {

constexpr int kCallTimeoutS = 15;

std::string encode(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "&=+?#/%;", out);
  return out;
}

// ("to", 2) or ("group", 7): how API.md names a conversation in bodies and queries.
std::string peerKey(const Peer& p, const char* userKey) { return p.isGroup() ? "group" : userKey; }
uint64_t peerId(const Peer& p) { return p.isGroup() ? p.group : p.user; }

std::string peerBody(const Peer& p, const char* userKey) {
  common::JsonWriter w;
  w.beginObject().key(peerKey(p, userKey)).number(peerId(p)).endObject();
  return w.take();
}

std::string idArray(const char* key, const std::vector<uint64_t>& ids, const std::string& name = "") {
  common::JsonWriter w;
  w.beginObject();
  if (!name.empty()) w.key("name").string(name);
  w.key(key).beginArray();
  for (const uint64_t id : ids) w.number(id);
  w.endArray().endObject();
  return w.take();
}

ApiFailure failureFrom(int status, const std::string& body, int retryAfterS) {
  try {
    const auto obj = common::parseJsonObject(body);
    return ApiFailure(status, obj->optValue<std::string>("error", ""),
                      obj->optValue<std::string>("message", "HTTP " + std::to_string(status)), retryAfterS);
  } catch (const std::exception&) {
    return ApiFailure(status, "", "the server answered HTTP " + std::to_string(status), retryAfterS);
  }
}

}  // namespace

HttpApi::HttpApi(const std::string& url) : url_(url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("bad --url " + url + ": " + e.displayText());
  }
  if (uri.getScheme() != "http" || uri.getHost().empty()) throw std::invalid_argument("--url must be http://host[:port]");
  host_ = uri.getHost();
  port_ = uri.getPort();
  prefix_ = uri.getPath();
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  resetSession();
}

HttpApi::~HttpApi() = default;

void HttpApi::resetSession() {
  auto fresh = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
  fresh->setKeepAlive(true);
  const std::lock_guard lock(sessionMutex_);
  session_ = std::move(fresh);
}

void HttpApi::interrupt() {
  const std::lock_guard lock(sessionMutex_);
  try {
    session_->socket().shutdown();
  } catch (const Poco::Exception&) {
    // Not connected: nothing to interrupt.
  }
}

JsonPtr HttpApi::call(const std::string& method, const std::string& target, const std::string& body,
                      int timeoutS) {
  Poco::Net::HTTPRequest request(method, prefix_ + target, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token_.empty()) request.set("Authorization", "Bearer " + token_);
  if (!body.empty()) request.setContentType("application/json; charset=utf-8");
  if (method != "GET") request.setContentLength(static_cast<std::streamsize>(body.size()));
  Poco::Net::HTTPResponse response;
  std::string text;
  try {
    session_->setTimeout(Poco::Timespan(timeoutS, 0));
    session_->sendRequest(request) << body;
    std::istream& in = session_->receiveResponse(response);
    Poco::StreamCopier::copyToString(in, text);
  } catch (const Poco::Exception& e) {
    resetSession();  // the connection is in an unknown state
    throw ApiFailure(0, "", "cannot reach " + url_ + ": " + e.displayText());
  }
  const int status = static_cast<int>(response.getStatus());
  lastRetryAfterS_ = response.has("Retry-After") ? std::atoi(response.get("Retry-After").c_str()) : 0;
  if (status < 200 || status > 299) throw failureFrom(status, text, lastRetryAfterS_);
  if (text.empty()) return nullptr;
  try {
    return common::parseJsonObject(text);
  } catch (const std::exception& e) {
    throw ApiFailure(0, "", std::string("the server answered something that is not JSON: ") + e.what());
  }
}

JsonPtr HttpApi::registerUser(const std::string& username, const std::string& password) {
  common::JsonWriter w;
  w.beginObject().key("username").string(username).key("password").string(password).endObject();
  return call("POST", "/im/register", w.take(), kCallTimeoutS);
}

JsonPtr HttpApi::login(const std::string& username, const std::string& password, const std::string& device) {
  common::JsonWriter w;
  w.beginObject().key("username").string(username).key("password").string(password);
  w.key("device").string(device).endObject();
  return call("POST", "/im/login", w.take(), kCallTimeoutS);
}

void HttpApi::logout() { call("POST", "/im/logout", "", kCallTimeoutS); }

JsonPtr HttpApi::send(const Peer& to, const std::string& body, const std::string& clientMsgId) {
  common::JsonWriter w;
  w.beginObject().key(peerKey(to, "to")).number(peerId(to)).key("body").string(body);
  w.key("client_msg_id").string(clientMsgId).endObject();
  return call("POST", "/im/send", w.take(), kCallTimeoutS);
}

JsonPtr HttpApi::poll(uint64_t since, int timeoutS) {
  // The exchange may take the whole hold plus the way through nginx.
  return call("GET", "/im/poll?since=" + std::to_string(since) + "&timeout=" + std::to_string(timeoutS), "",
              timeoutS + kCallTimeoutS);
}

JsonPtr HttpApi::history(const Peer& peer, int limit) {
  return call("GET", "/im/history?" + peerKey(peer, "with") + "=" + std::to_string(peerId(peer)) +
                         "&limit=" + std::to_string(limit), "", kCallTimeoutS);
}

JsonPtr HttpApi::online() { return call("GET", "/im/online", "", kCallTimeoutS); }

JsonPtr HttpApi::users(const std::string& prefix, int limit) {
  return call("GET", "/im/users?prefix=" + encode(prefix) + "&limit=" + std::to_string(limit), "", kCallTimeoutS);
}

JsonPtr HttpApi::conversations(int limit) {
  return call("GET", "/im/conversations?limit=" + std::to_string(limit), "", kCallTimeoutS);
}

JsonPtr HttpApi::search(const std::string& query, const Peer& within, int limit) {
  std::string target = "/im/search?q=" + encode(query) + "&limit=" + std::to_string(limit);
  if (!within.empty()) target += "&" + peerKey(within, "with") + "=" + std::to_string(peerId(within));
  return call("GET", target, "", kCallTimeoutS);
}

void HttpApi::markRead(const Peer& peer, uint64_t msgId) {
  common::JsonWriter w;
  w.beginObject().key(peerKey(peer, "with")).number(peerId(peer)).key("msg_id").number(msgId).endObject();
  call("POST", "/im/read", w.take(), kCallTimeoutS);
}

void HttpApi::typing(const Peer& peer) { call("POST", "/im/typing", peerBody(peer, "to"), kCallTimeoutS); }

JsonPtr HttpApi::groups() { return call("GET", "/im/groups", "", kCallTimeoutS); }

JsonPtr HttpApi::group(uint64_t groupId) {
  return call("GET", "/im/groups/" + std::to_string(groupId), "", kCallTimeoutS);
}

JsonPtr HttpApi::createGroup(const std::string& name, const std::vector<uint64_t>& members) {
  return call("POST", "/im/groups", idArray("members", members, name), kCallTimeoutS);
}

void HttpApi::addMembers(uint64_t groupId, const std::vector<uint64_t>& users) {
  call("POST", "/im/groups/" + std::to_string(groupId) + "/members", idArray("user_ids", users), kCallTimeoutS);
}

void HttpApi::removeMember(uint64_t groupId, uint64_t user) {
  call("DELETE", "/im/groups/" + std::to_string(groupId) + "/members/" + std::to_string(user), "", kCallTimeoutS);
}

void HttpApi::join(uint64_t groupId) {
  call("POST", "/im/groups/" + std::to_string(groupId) + "/join", "", kCallTimeoutS);
}

void HttpApi::leave(uint64_t groupId) {
  call("POST", "/im/groups/" + std::to_string(groupId) + "/leave", "", kCallTimeoutS);
}

}  // namespace im::cli
