// SPDX-License-Identifier: MIT
// GroupApi.cc - request building and answer parsing for the group tests.
#include "tests/integration/GroupApi.h"

#include <Poco/JSON/Array.h>

#include <stdexcept>

#include "tests/support/TestJson.h"

namespace im::test {

std::string idsJson(const std::vector<int64_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "]";
}

std::vector<TimelineEntry> parseTimeline(const std::string& body) {
  std::vector<TimelineEntry> out;
  const auto messages = parseObject(body)->getArray("messages");
  if (!messages) throw std::runtime_error("no messages array: " + body);
  for (size_t i = 0; i < messages->size(); ++i) {
    const auto m = messages->getObject(static_cast<unsigned>(i));
    TimelineEntry e;
    e.seq = m->optValue<int64_t>("seq", 0);
    e.msgId = m->getValue<int64_t>("msg_id");
    e.from = m->getValue<int64_t>("from");
    e.group = m->optValue<int64_t>("group", 0);
    e.body = m->getValue<std::string>("body");
    e.hasType = m->has("type");
    e.hasTarget = m->has("target");
    e.hasRole = m->has("role");
    e.type = m->optValue<std::string>("type", "");
    e.target = m->optValue<int64_t>("target", 0);
    e.role = m->optValue<std::string>("role", "");
    out.push_back(e);
  }
  return out;
}

HttpResponse GroupApi::call(const std::string& method, const std::string& target, const std::string& body,
                            const TestUser& who) const {
  return http_.request(method, target, body,
                       {{"Authorization", "Bearer " + who.token}, {"Content-Type", "application/json"}});
}

HttpResponse GroupApi::create(const TestUser& owner, const std::string& name, const std::vector<int64_t>& members,
                              std::optional<bool> isPublic) const {
  std::string body = "{\"name\":" + quote(name) + ",\"members\":" + idsJson(members);
  if (isPublic) body += std::string(",\"public\":") + (*isPublic ? "true" : "false");
  return http_.post("/im/groups", body + "}", owner.token);
}

int64_t GroupApi::createOk(const TestUser& owner, const std::string& name, const std::vector<int64_t>& members,
                           std::optional<bool> isPublic) const {
  const HttpResponse r = create(owner, name, members, isPublic);
  if (r.status != 201) throw std::runtime_error("create group: " + std::to_string(r.status) + " " + r.body);
  return parseObject(r.body)->getValue<int64_t>("group_id");
}

HttpResponse GroupApi::update(const TestUser& who, int64_t group, const std::string& body) const {
  return call("PATCH", "/im/groups/" + std::to_string(group), body, who);
}

HttpResponse GroupApi::addMembers(const TestUser& who, int64_t group, const std::vector<int64_t>& userIds) const {
  return call("POST", "/im/groups/" + std::to_string(group) + "/members", "{\"user_ids\":" + idsJson(userIds) + "}",
              who);
}

HttpResponse GroupApi::removeMember(const TestUser& who, int64_t group, int64_t userId) const {
  return call("DELETE", "/im/groups/" + std::to_string(group) + "/members/" + std::to_string(userId), "", who);
}

HttpResponse GroupApi::setRole(const TestUser& who, int64_t group, int64_t userId, const std::string& role) const {
  return call("PATCH", "/im/groups/" + std::to_string(group) + "/members/" + std::to_string(userId),
              "{\"role\":" + quote(role) + "}", who);
}

HttpResponse GroupApi::join(const TestUser& who, int64_t group) const {
  return http_.post("/im/groups/" + std::to_string(group) + "/join", "", who.token);
}

HttpResponse GroupApi::leave(const TestUser& who, int64_t group) const {
  return http_.post("/im/groups/" + std::to_string(group) + "/leave", "", who.token);
}

HttpResponse GroupApi::get(const TestUser& who, int64_t group) const {
  return http_.get("/im/groups/" + std::to_string(group), who.token);
}

HttpResponse GroupApi::list(const TestUser& who) const { return http_.get("/im/groups", who.token); }

HttpResponse GroupApi::send(const TestUser& who, int64_t group, const std::string& body) const {
  return http_.post("/im/send", "{\"group\":" + std::to_string(group) + ",\"body\":" + quote(body) + "}", who.token);
}

HttpResponse GroupApi::history(const TestUser& who, int64_t group) const {
  return http_.get("/im/history?group=" + std::to_string(group) + "&limit=200", who.token);
}

std::vector<TimelineEntry> GroupApi::drain(const TestUser& who, int64_t since) const {
  std::vector<TimelineEntry> out;
  for (;;) {
    const HttpResponse r = http_.get("/im/poll?since=" + std::to_string(since) + "&timeout=0&limit=500", who.token);
    if (r.status != 200) throw std::runtime_error("poll: " + std::to_string(r.status) + " " + r.body);
    const auto page = parseTimeline(r.body);
    if (page.empty()) return out;
    out.insert(out.end(), page.begin(), page.end());
    since = page.back().seq;
  }
}

std::map<int64_t, std::string> GroupApi::roles(const TestUser& who, int64_t group) const {
  const HttpResponse r = get(who, group);
  if (r.status != 200) throw std::runtime_error("get group: " + std::to_string(r.status) + " " + r.body);
  std::map<int64_t, std::string> out;
  const auto members = parseObject(r.body)->getArray("members");
  for (size_t i = 0; i < members->size(); ++i) {
    const auto m = members->getObject(static_cast<unsigned>(i));
    out[m->getValue<int64_t>("user_id")] = m->getValue<std::string>("role");
  }
  return out;
}

}  // namespace im::test
