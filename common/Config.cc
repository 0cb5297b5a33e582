// SPDX-License-Identifier: MIT
// Config.cc - merges file, environment and command line into one typed Config.
#include "common/Config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <type_traits>
#include <variant>

#include <stdexcept>

#include "common/HostList.h"
#include "common/Log.h"
#include "common/PushdSocket.h"
#include "common/RedisEndpoint.h"

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
  out = splitList(text);
  for (const std::string& item : out) {
    if (!validOrigin(item)) {
      throw std::runtime_error("config: " + key + " takes origins such as https://app.example.com, got '" + item + "'");
    }
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


// A pointer to the field one key sets, inside a given Config.
using Field = std::variant<std::string*, int*, uint64_t*, std::vector<std::string>*>;

struct Setting {
  const char* key;
  Field (*field)(Config&);
  const char* meaning;
};

// The one place config keys are declared: parsing, `--help` and the docs table follow it.
// Defaults are the member initialisers in Config.h.
#define IM_KEY(name, member, meaning) {name, [](Config& c) -> Field { return &c.member; }, meaning}
const Setting kSettings[] = {
    IM_KEY("mysql.host", mysql.host, "MariaDB TCP host"),
    IM_KEY("mysql.port", mysql.port, "MariaDB TCP port"),
    IM_KEY("mysql.socket", mysql.socket, "MariaDB unix socket; replaces host/port when set"),
    IM_KEY("mysql.hosts", mysql.hosts, "MariaDB Galera nodes, host[:port] comma separated; replaces host/port/socket"),
    IM_KEY("mysql.replicas", mysql.replicas, "async replicas for history/search/conversation reads, host[:port] comma separated"),
    IM_KEY("mysql.user", mysql.user, "service account (never root)"),
    IM_KEY("mysql.password", mysql.password, "its password (secret: never logged)"),
    IM_KEY("mysql.database", mysql.database, "schema"),
    IM_KEY("redis.host", redis.host, "Redis TCP host"),
    IM_KEY("redis.port", redis.port, "Redis TCP port"),
    IM_KEY("redis.socket", redis.socket, "Redis unix socket; replaces host/port when set"),
    IM_KEY("redis.timeout_ms", redis.timeoutMs, "connect/command timeout of fcgi's Redis calls"),
    IM_KEY("redis.sentinels", redis.sentinels, "Redis Sentinel host:port list; when set, the primary is found through it"),
    IM_KEY("redis.master_name", redis.masterName, "the name the sentinels monitor the primary under"),
    IM_KEY("fcgi.socket", fcgi.socket, "unix socket nginx fastcgi_passes to"),
    IM_KEY("fcgi.workers", fcgi.workers, "worker processes"),
    IM_KEY("fcgi.max_requests", fcgi.maxRequests, "a worker is replaced after this many requests"),
    IM_KEY("fcgi.slow_ms", fcgi.slowMs, "requests taking this long or longer are logged (0: all)"),
    IM_KEY("fcgi.send_batch", fcgi.sendBatch, "most sends a worker commits in one transaction, from those queued (1-16; 1: one each)"),
    IM_KEY("pushd.host", pushd.host, "where a push node listens; its node id is host:port"),
    IM_KEY("pushd.port", pushd.port, "its port"),
    IM_KEY("pushd.heartbeat_ms", pushd.heartbeatMs, "heartbeat period"),
    IM_KEY("pushd.node_ttl_ms", pushd.nodeTtlMs, "a node not heard from for this long is dead"),
    IM_KEY("pushd.early_window_ms", pushd.earlyWindowMs, "how long a notification that beat its poll is kept"),
    IM_KEY("pushd.gap_wait_ms", pushd.gapWaitMs, "how long a poll waits for a missing seq"),
    IM_KEY("pushd.max_held", pushd.maxHeld, "held polls per node before new ones are answered empty"),
    IM_KEY("pushd.socket_dir", pushd.socketDir, "nodes also listen on a unix socket here; fcgi hands polls to this host's nodes through it; empty: TCP only"),
    IM_KEY("poll.default_timeout", poll.defaultTimeout, "poll timeout when the client names none, seconds"),
    IM_KEY("poll.max_timeout", poll.maxTimeout, "longest poll timeout, seconds"),
    IM_KEY("presence.window_s", presenceWindowS, "a user polled within this is online, seconds"),
    IM_KEY("auth.argon2_ops", auth.argon2Ops, "Argon2id passes"),
    IM_KEY("auth.argon2_mem_kib", auth.argon2MemKib, "Argon2id memory, KiB"),
    IM_KEY("auth.token_idle_days", auth.tokenIdleDays, "a token unused this long stops working"),
    IM_KEY("limits.login_per_account", limits.loginPerAccount, "login attempts per username per window; 0: off"),
    IM_KEY("limits.login_per_address", limits.loginPerAddress, "login attempts per client address per window; 0: off"),
    IM_KEY("limits.login_window_s", limits.loginWindowS, "the login window, seconds"),
    IM_KEY("limits.send_per_user", limits.sendPerUser, "sends per user per window; 0: off"),
    IM_KEY("limits.send_window_s", limits.sendWindowS, "the send window, seconds"),
    IM_KEY("http.allowed_origins", http.allowedOrigins, "origins (scheme://host[:port], comma separated) whose pages may call the API"),
    IM_KEY("log.level", logLevel, "debug, info, warning or error; re-read on SIGHUP"),
    IM_KEY("log.file", logFile, "log file, reopened on SIGUSR1; empty: stderr"),
};
#undef IM_KEY

constexpr std::string_view kComponentLevelPrefix = "log.level.";

void checkLogLevel(const std::string& key, const std::string& value) {
  LogLevel ignored;
  if (!parseLogLevel(value, ignored)) {
    throw std::runtime_error("config: " + key + " is debug, info, warning or error, got '" + value + "'");
  }
}

// log.level.<component>: not in kSettings, whose keys are fixed; a component is what its lines
// carry as component= (lower case letters, digits, '_' and '-').
bool applyComponentLevel(Config& c, const std::string& key, const std::string& value) {
  if (key.rfind(kComponentLevelPrefix, 0) != 0) return false;
  const std::string component = key.substr(kComponentLevelPrefix.size());
  const bool named = !component.empty() && component.size() <= 31 &&
                     component.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
  if (!named) throw std::runtime_error("config: " + key + ": a component is 1-31 of [a-z0-9_-]");
  checkLogLevel(key, value);
  c.logLevels[component] = value;
  return true;
}

const Setting* findSetting(const std::string& key) {
  for (const Setting& s : kSettings) {
    if (key == s.key) return &s;
  }
  return nullptr;
}

// Sets one key; false when `key` names no setting.
bool applySetting(Config& c, const std::string& key, const std::string& value) {
  if (applyComponentLevel(c, key, value)) return true;
  if (key == "log.level") checkLogLevel(key, value);
  const Setting* setting = findSetting(key);
  if (setting == nullptr) return false;
  std::visit(
      [&](auto* field) {
        if constexpr (std::is_same_v<decltype(field), std::string*>) {
          *field = value;
        } else if constexpr (std::is_same_v<decltype(field), std::vector<std::string>*>) {
          parseOrigins(key, value, *field);
        } else {
          parseNumber(key, value, *field);
        }
      },
      setting->field(c));
  return true;
}

std::string render(const Field& field) {
  return std::visit(
      [](auto* value) -> std::string {
        if constexpr (std::is_same_v<decltype(value), std::string*>) {
          return *value;
        } else if constexpr (std::is_same_v<decltype(value), std::vector<std::string>*>) {
          std::string joined;
          for (const auto& item : *value) joined += (joined.empty() ? "" : ",") + item;
          return joined;
        } else {
          return std::to_string(*value);
        }
      },
      field);
}

}  // namespace

Config configFromMap(const std::map<std::string, std::string>& values) {
  Config c;
  for (const auto& [key, value] : values) {
    if (!applySetting(c, key, value)) throw std::runtime_error("config: unknown key '" + key + "'");
  }
  if (c.fcgi.workers < 1) throw std::runtime_error("config: fcgi.workers must be at least 1");
  if (c.fcgi.sendBatch < 1 || c.fcgi.sendBatch > 16) throw std::runtime_error("config: fcgi.send_batch must be 1-16");
  if (c.limits.loginWindowS < 1 || c.limits.sendWindowS < 1) {
    throw std::runtime_error("config: limits.login_window_s and limits.send_window_s must be at least 1");
  }
  parseHostList("mysql.hosts", c.mysql.hosts, c.mysql.port);  // throws on a malformed list
  parseHostList("mysql.replicas", c.mysql.replicas, c.mysql.port);
  checkPushdSocketDir(c.pushd.socketDir);
  if (c.poll.maxTimeout < c.poll.defaultTimeout) {
    throw std::runtime_error("config: poll.max_timeout must be >= poll.default_timeout");
  }
  try {
    if (!parseEndpoints(c.redis.sentinels).empty() && c.redis.masterName.empty()) {
      throw std::runtime_error("redis.master_name is empty");
    }
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("config: redis.sentinels: ") + e.what());
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

namespace im::common {

std::vector<ConfigKey> configKeys() {
  Config defaults;
  std::vector<ConfigKey> keys;
  for (const Setting& s : kSettings) keys.push_back(ConfigKey{s.key, render(s.field(defaults)), s.meaning});
  return keys;
}

std::string configKeysHelp() {
  std::string text = "config keys (--config=FILE, IM_<KEY> in the environment, --set key=value):\n";
  for (const ConfigKey& k : configKeys()) {
    std::string line = "  " + k.key + " = " + k.defaultValue;
    line.resize(std::max<size_t>(line.size() + 1, 44), ' ');
    text += line + k.meaning + "\n";
  }
  std::string line = "  log.level.<component> = (log.level)";
  line.resize(44, ' ');
  text += line + "one component's level (its lines' component=, e.g. poll, master, worker); SIGHUP\n";
  return text;
}

}  // namespace im::common
