// SPDX-License-Identifier: MIT
// Config.cc - merges file, environment and command line into one typed Config.
#include "common/Config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <stdexcept>

extern char** environ;

namespace im::common {
namespace {

template <typename T>
void parseNumber(const std::string& key, const std::string& text, T& out) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
    throw std::runtime_error("config: " + key + " must be a non-negative integer, got '" + text + "'");
  }
  out = value;
}

// "scheme://host[:port]", lower case, nothing after the authority: what a browser sends as Origin.
bool validOrigin(std::string_view o) {
  const auto sep = o.find("://");
  if (sep == std::string_view::npos || sep == 0 || sep + 3 == o.size()) return false;
  for (const char c : o.substr(0, sep)) {
    if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  for (const char c : o.substr(sep + 3)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':' ||
                    c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

// "a, b c" -> {a, b, c}: origins separated by commas and/or blanks; each must be valid.
void parseOrigins(const std::string& key, const std::string& text, std::vector<std::string>& out) {
  out.clear();
  std::string item;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ',';
    if (c != ',' && c != ' ' && c != '\t') {
      item.push_back(c);
      continue;
    }
    if (item.empty()) continue;
    if (!validOrigin(item)) {
      throw std::runtime_error("config: " + key + " takes origins such as https://app.example.com, got '" + item + "'");
    }
    out.push_back(item);
    item.clear();
  }
}

// IM_MYSQL_PORT -> mysql.port; IM_PUSHD_NODE_TTL_MS -> pushd.node_ttl_ms.
std::string keyFromEnv(std::string_view name) {
  std::string key;
  bool first = true;
  for (char c : name) {
    if (c == '_' && first) {
      key.push_back('.');
      first = false;
    } else {
      key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return key;
}


// Sets one key; false when `key` names no setting.
bool applySetting(Config& c, const std::string& key, const std::string& value) {
  using Setter = std::function<void(const std::string&, const std::string&)>;
  auto str = [](std::string& field) -> Setter { return [&field](const std::string&, const std::string& v) { field = v; }; };
  auto num = [](auto& field) -> Setter { return [&field](const std::string& k, const std::string& v) { parseNumber(k, v, field); }; };
  const std::map<std::string, Setter> setters = {
      {"mysql.host", str(c.mysql.host)},
      {"mysql.port", num(c.mysql.port)},
      {"mysql.socket", str(c.mysql.socket)},
      {"mysql.user", str(c.mysql.user)},
      {"mysql.password", str(c.mysql.password)},
      {"mysql.database", str(c.mysql.database)},
      {"redis.host", str(c.redis.host)},
      {"redis.port", num(c.redis.port)},
      {"redis.socket", str(c.redis.socket)},
      {"redis.timeout_ms", num(c.redis.timeoutMs)},
      {"fcgi.socket", str(c.fcgi.socket)},
      {"fcgi.workers", num(c.fcgi.workers)},
      {"fcgi.max_requests", num(c.fcgi.maxRequests)},
      {"pushd.host", str(c.pushd.host)},
      {"pushd.port", num(c.pushd.port)},
      {"pushd.heartbeat_ms", num(c.pushd.heartbeatMs)},
      {"pushd.node_ttl_ms", num(c.pushd.nodeTtlMs)},
      {"pushd.early_window_ms", num(c.pushd.earlyWindowMs)},
      {"pushd.gap_wait_ms", num(c.pushd.gapWaitMs)},
      {"pushd.max_held", num(c.pushd.maxHeld)},
      {"poll.default_timeout", num(c.poll.defaultTimeout)},
      {"poll.max_timeout", num(c.poll.maxTimeout)},
      {"presence.window_s", num(c.presenceWindowS)},
      {"auth.argon2_ops", num(c.auth.argon2Ops)},
      {"auth.argon2_mem_kib", num(c.auth.argon2MemKib)},
      {"auth.token_idle_days", num(c.auth.tokenIdleDays)},
      {"limits.login_per_account", num(c.limits.loginPerAccount)},
      {"limits.login_per_address", num(c.limits.loginPerAddress)},
      {"limits.login_window_s", num(c.limits.loginWindowS)},
      {"limits.send_per_user", num(c.limits.sendPerUser)},
      {"limits.send_window_s", num(c.limits.sendWindowS)},
      {"http.allowed_origins",
       [&c](const std::string& k, const std::string& v) { parseOrigins(k, v, c.http.allowedOrigins); }},
      {"log.level", str(c.logLevel)},
  };
  const auto it = setters.find(key);
  if (it == setters.end()) return false;
  it->second(key, value);
  return true;
}

}  // namespace

Config configFromMap(const std::map<std::string, std::string>& values) {
  Config c;
  for (const auto& [key, value] : values) {
    if (!applySetting(c, key, value)) throw std::runtime_error("config: unknown key '" + key + "'");
  }
  if (c.fcgi.workers < 1) throw std::runtime_error("config: fcgi.workers must be at least 1");
  if (c.limits.loginWindowS < 1 || c.limits.sendWindowS < 1) {
    throw std::runtime_error("config: limits.login_window_s and limits.send_window_s must be at least 1");
  }
  if (c.poll.maxTimeout < c.poll.defaultTimeout) {
    throw std::runtime_error("config: poll.max_timeout must be >= poll.default_timeout");
  }
  return c;
}

Config loadConfig(const std::string& path, const std::vector<std::string>& overrides) {
  std::map<std::string, std::string> values;
  if (!path.empty()) {
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(new Poco::Util::PropertyFileConfiguration(path));
    std::function<void(const std::string&)> walk = [&](const std::string& prefix) {
      Poco::Util::AbstractConfiguration::Keys keys;
      file->keys(prefix, keys);
      for (const auto& k : keys) {
        const std::string full = prefix.empty() ? k : prefix + "." + k;
        if (file->hasProperty(full)) values[full] = file->getRawString(full);
        walk(full);
      }
    };
    walk("");
  }
  for (char** env = environ; env && *env; ++env) {
    const std::string_view entry(*env);
    if (entry.substr(0, 3) != "IM_") continue;
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key = keyFromEnv(entry.substr(3, eq - 3));
    // Only IM_* variables that name a config key: the scripts use others (IM_PORT, ...).
    Config probe;
    if (!applySetting(probe, key, std::string(entry.substr(eq + 1)))) continue;
    values[key] = std::string(entry.substr(eq + 1));
  }
  for (const auto& o : overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos) throw std::runtime_error("config: --set needs key=value, got '" + o + "'");
    values[o.substr(0, eq)] = o.substr(eq + 1);
  }
  return configFromMap(values);
}

}  // namespace im::common
