// SPDX-License-Identifier: MIT
// Config.h - the typed configuration of both binaries, loaded once at startup.
// Keys, defaults and precedence (file < IM_* environment < --set) are listed in docs/internals.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace im::common {

struct MysqlConfig {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string user = "im";
  std::string password;  // secret: never logged
  std::string database = "im";
  std::string socket;  // a unix socket path: used instead of host/port when set (same-host MariaDB)
  // "host[:port], ..." (common/HostList): Galera nodes, any of which takes writes; when set it
  // replaces host/port/socket. Worker i prefers node i mod N and fails over to the next.
  std::string hosts;
  // "host[:port], ...": async replicas the heavy reads may use (docs/internals.md, read replicas).
  std::string replicas;
};

struct RedisConfig {
  std::string host = "127.0.0.1";
  int port = 6379;
  int timeoutMs = 500;
  std::string socket;  // a unix socket path: used instead of host/port when set (same-host Redis)
  // Redis Sentinel: "host:port, ..." of the sentinels; when set, the primary named masterName is
  // found through them (common/SentinelResolver) and host/port/socket are not used.
  std::string sentinels;
  std::string masterName = "im";
};

struct FcgiConfig {
  std::string socket = "var/run/fcgi.sock";
  int workers = 4;
  int maxRequests = 5000;
  int slowMs = 1000;  // a request this slow or slower is logged (0: every request)
  // A worker holding a send also takes the sends queued behind it, up to this many, and
  // commits them in one transaction (fcgi/process/WorkerLoop). 1: one send per transaction.
  int sendBatch = 16;
};

struct PushdConfig {
  std::string host = "127.0.0.1";
  int port = 9101;
  int heartbeatMs = 1000;
  int nodeTtlMs = 3000;
  int earlyWindowMs = 5000;
  int gapWaitMs = 200;
  int maxHeld = 100000;
  // Nodes on this host also listen on a unix socket here (common/PushdSocket), and fcgi hands
  // polls to them through it: "" (the default) keeps every hand-over on TCP.
  std::string socketDir;

  std::string nodeId() const { return host + ":" + std::to_string(port); }
};

struct PollConfig {
  int defaultTimeout = 30;
  int maxTimeout = 60;
};

struct AuthConfig {
  uint64_t argon2Ops = 2;
  uint64_t argon2MemKib = 65536;
  int tokenIdleDays = 30;
};

// Fixed-window rate limits, counted in Redis so they hold across workers and hosts.
// A limit of 0 turns that limit off; windows are at least 1 s.
struct LimitsConfig {
  int loginPerAccount = 10;  // attempts, failed or not, per username per window
  int loginPerAddress = 30;  // per client address: several people may share one NAT address
  int loginWindowS = 300;
  int sendPerUser = 600;     // ten a second for a minute: far above any human, a brake for scripts
  int sendWindowS = 60;
};

// Cross-origin browser access (API.md "Browsers"; fcgi/CorsPolicy): the exact origins
// ("https://app.example.com", scheme://host[:port], no path) whose pages may call the API.
struct HttpConfig {
  std::vector<std::string> allowedOrigins;
};

struct Config {
  MysqlConfig mysql;
  RedisConfig redis;
  FcgiConfig fcgi;
  PushdConfig pushd;
  PollConfig poll;
  AuthConfig auth;
  LimitsConfig limits;
  HttpConfig http;
  int presenceWindowS = 60;
  std::string logLevel = "info";
  // log.level.<component> = level: that component's own threshold (e.g. log.level.poll = debug).
  std::map<std::string, std::string> logLevels;
  std::string logFile;  // empty: stderr as inherited (a terminal, ./im's nohup file, the journal)
};

// One config key as `--help` and the docs list it.
struct ConfigKey {
  std::string key;
  std::string defaultValue;
  std::string meaning;
};

// Every key, in declaration order, with its default and meaning.
std::vector<ConfigKey> configKeys();
// The `--help` section listing them, one line each.
std::string configKeysHelp();

// Loads `path` (may be empty: defaults only), then IM_* environment variables,
// then `overrides` ("key=value"). Throws std::runtime_error naming a bad key or value.
Config loadConfig(const std::string& path, const std::vector<std::string>& overrides);

// Same, from an already-merged key -> value map (used by loadConfig and tests).
Config configFromMap(const std::map<std::string, std::string>& values);

}  // namespace im::common
