// SPDX-License-Identifier: MIT
// RedisEndpoint.cc - the address list and Sentinel reply parsing.
#include "common/RedisEndpoint.h"

#include <charconv>
#include <stdexcept>

#include "common/HostList.h"

namespace im::common {
namespace {

std::string_view elementText(const redisReply* r) {
  if (!r || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)) return {};
  return {r->str, r->len};
}

std::optional<int> parsePort(std::string_view text) {
  int port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port <= 0 || port > 65535) return std::nullopt;
  return port;
}

// "host:port" or "[v6]:port".
std::optional<RedisEndpoint> parseOne(std::string_view item) {
  const auto colon = item.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = item.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // a bare IPv6 address is ambiguous: ask for brackets
  }
  const auto port = parsePort(item.substr(colon + 1));
  if (!port) return std::nullopt;
  return RedisEndpoint{std::string(host), *port};
}

}  // namespace

std::vector<RedisEndpoint> parseEndpoints(std::string_view text) {
  std::vector<RedisEndpoint> out;
  for (const std::string& item : splitList(text)) {
    auto endpoint = parseOne(item);
    if (!endpoint) throw std::runtime_error("not a host:port address: '" + item + "'");
    out.push_back(std::move(*endpoint));
  }
  return out;
}

std::optional<RedisEndpoint> masterFromSentinelReply(const redisReply* reply) {
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2) return std::nullopt;
  const std::string_view host = elementText(reply->element[0]);
  const auto port = parsePort(elementText(reply->element[1]));
  if (host.empty() || !port) return std::nullopt;
  return RedisEndpoint{std::string(host), *port};
}

bool isPrimaryRoleReply(const redisReply* reply) {
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements < 1) return false;
  return elementText(reply->element[0]) == "master";
}

bool isFailoverError(std::string_view error) {
  for (const std::string_view prefix : {"READONLY", "LOADING", "MASTERDOWN", "UNBLOCKED", "NOREPLICAS"}) {
    if (error.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

}  // namespace im::common
