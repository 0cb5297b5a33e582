// SPDX-License-Identifier: MIT
// ImClient.cc - request building and answer parsing for the integration tests.
#include "tests/integration/ImClient.h"

#include <Poco/JSON/Array.h>

#include <atomic>
#include <stdexcept>

namespace im::test {
namespace {

std::atomic<int> gUserCounter{0};

std::string credentials(const std::string& name, const std::string& password, const std::string& device) {
  Poco::JSON::Object o;
  o.set("username", name);
  o.set("password", password);
  if (!device.empty()) o.set("device", device);
  return toJson(o);
}

}  // namespace

TestUser ImClient::newUser(const std::string& prefix) {
  TestUser user;
  user.name = prefix + "_" + std::to_string(++gUserCounter);
  user.password = "pw-" + user.name + "-long-enough";
  const HttpResponse r = registerUser(user.name, user.password);
  if (r.status != 201) throw std::runtime_error("register " + user.name + ": " + std::to_string(r.status) + " " + r.body);
  user.id = parseObject(r.body)->getValue<int64_t>("user_id");
  user.token = loginToken(user.name, user.password);
  return user;
}

HttpResponse ImClient::registerUser(const std::string& name, const std::string& password) const {
  return http_.post("/im/register", credentials(name, password, ""));
}

HttpResponse ImClient::login(const std::string& name, const std::string& password, const std::string& device) const {
  return http_.post("/im/login", credentials(name, password, device));
}

std::string ImClient::loginToken(const std::string& name, const std::string& password,
                                 const std::string& device) const {
  const HttpResponse r = login(name, password, device);
  if (r.status != 200) throw std::runtime_error("login " + name + ": " + std::to_string(r.status) + " " + r.body);
  return parseObject(r.body)->getValue<std::string>("token");
}

HttpResponse ImClient::logout(const std::string& token) const { return http_.post("/im/logout", "", token); }

HttpResponse ImClient::send(const std::string& token, int64_t to, const std::string& body,
                            const std::string& clientMsgId) const {
  Poco::JSON::Object o;
  o.set("to", to);
  o.set("body", body);
  if (!clientMsgId.empty()) o.set("client_msg_id", clientMsgId);
  return http_.post("/im/send", toJson(o), token);
}

int64_t ImClient::sendOk(const std::string& token, int64_t to, const std::string& body,
                         const std::string& clientMsgId) const {
  const HttpResponse r = send(token, to, body, clientMsgId);
  if (r.status != 200) throw std::runtime_error("send: " + std::to_string(r.status) + " " + r.body);
  return parseObject(r.body)->getValue<int64_t>("msg_id");
}

PollResult ImClient::poll(const std::string& token, int64_t since, int timeoutS, int limit) const {
  std::string target = "/im/poll?since=" + std::to_string(since) + "&timeout=" + std::to_string(timeoutS);
  if (limit > 0) target += "&limit=" + std::to_string(limit);
  // The client waits well past the poll's own timeout: nginx and pushd must answer first.
  const HttpResponse r = http_.get(target, token, timeoutS + 20);
  PollResult result;
  result.status = r.status;
  result.raw = r.body;
  if (r.status != 200) return result;
  const auto object = parseObject(r.body);
  result.next = object->getValue<int64_t>("next");
  const auto messages = object->getArray("messages");
  if (!messages) throw std::runtime_error("poll answer without a messages array: " + r.body);
  for (size_t i = 0; i < messages->size(); ++i) {
    const auto m = messages->getObject(static_cast<unsigned>(i));
    result.messages.push_back({m->getValue<int64_t>("seq"), m->getValue<int64_t>("msg_id"),
                               m->getValue<int64_t>("from"), m->getValue<std::string>("body"), m->has("to"),
                               m->optValue<int64_t>("group", 0)});
  }
  return result;
}

HttpResponse ImClient::history(const std::string& token, int64_t with, int64_t before, int limit) const {
  std::string target = "/im/history?with=" + std::to_string(with);
  if (before > 0) target += "&before=" + std::to_string(before);
  if (limit > 0) target += "&limit=" + std::to_string(limit);
  return http_.get(target, token);
}

::testing::AssertionResult IsJson(const HttpResponse& response) {
  const std::string type = response.header("Content-Type");
  if (type != "application/json; charset=utf-8") {
    return ::testing::AssertionFailure() << "Content-Type is '" << type << "', body: " << response.body;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsApiError(const HttpResponse& response, int status, const std::string& code) {
  if (response.status != status) {
    return ::testing::AssertionFailure() << "status " << response.status << " instead of " << status
                                         << ", body: " << response.body;
  }
  if (auto json = IsJson(response); !json) return json;
  try {
    const auto object = parseObject(response.body);
    const std::string actual = object->optValue<std::string>("error", "");
    const std::string message = object->optValue<std::string>("message", "");
    if (actual != code) return ::testing::AssertionFailure() << "error '" << actual << "' instead of '" << code << "'";
    if (message.empty()) return ::testing::AssertionFailure() << "no message in " << response.body;
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << e.what();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace im::test
