// SPDX-License-Identifier: MIT
// Stack.cc - drives the `im` script (the same start-up code users run) against a temporary var dir.
#include "tests/integration/Stack.h"

#include <signal.h>

#include <cstdlib>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/FreePort.h"
#include "tests/support/TestJson.h"

namespace im::test {
namespace {

Stack* gStack = nullptr;

// Cheap Argon2 (logins in milliseconds), a short presence window, and no rate limits on sends or
// per-address logins: every test client shares 127.0.0.1, and the concurrency test sends 400.
constexpr const char* kTestConfig =
    "auth.argon2_ops = 1\n"
    "auth.argon2_mem_kib = 8192\n"
    "presence.window_s = 5\n"
    "limits.login_per_address = 0\n"
    "limits.send_per_user = 0\n"
    // An origin no browser serves: tests/integration/EventsTest.cc checks CORS against it.
    "http.allowed_origins = https://app.example.test\n";

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string tail(const std::string& text, int lines) {
  size_t pos = text.size();
  for (int i = 0; i <= lines && pos != std::string::npos && pos > 0; ++i) pos = text.rfind('\n', pos - 1);
  // An empty log (pos stays 0) must not hide the failure it was read to explain.
  return pos == std::string::npos || text.empty() ? text : text.substr(pos + 1);
}

pid_t parentOf(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("PPid:", 0) == 0) return static_cast<pid_t>(std::stol(line.substr(5)));
  }
  return -1;
}

}  // namespace

Stack::Stack() = default;
Stack::~Stack() = default;

Stack& Stack::get() {
  if (gStack == nullptr) throw std::logic_error("Stack::get(): no stack (StackEnvironment not registered?)");
  return *gStack;
}

void Stack::install(Stack* stack) { gStack = stack; }

void Stack::start() {
  dir_ = std::make_unique<TempDir>("im-it");
  httpPort_ = FreePort::any();
  // Five in a row: IM_REDIS=sentinel puts a replica and 3 sentinels on the next four.
  redisPort_ = FreePort::consecutive(5);
  pushdPort_ = FreePort::consecutive(kPushdNodes);
  env_ = {
      {"IM_VAR", dir_->path()},
      {"IM_BUILD_DIR", IM_BINARY_DIR},
      {"IM_PORT", std::to_string(httpPort_)},
      {"IM_MYSQL_PORT", std::to_string(FreePort::any())},
      // Used only when the test's environment says IM_MYSQL=galera or IM_MYSQL_REPLICA=1 (tests/cluster).
      {"IM_GALERA_PORT", std::to_string(FreePort::consecutive(13))},
      {"IM_REDIS_PORT", std::to_string(redisPort_)},
      {"IM_PUSHD_PORT", std::to_string(pushdPort_)},
      {"IM_PUSHD_NODES", std::to_string(kPushdNodes)},
      {"IM_FCGI_WORKERS", std::to_string(kFcgiWorkers)},
      // The tests check behaviour, not sizing (SizingTest does): two nginx workers, not the
      // machine's 16, keep many stacks at once (ctest -j) light.
      {"IM_NGINX_WORKERS", "2"},
      {"IM_MYSQL_BUFFER_POOL", "64M"},  // several test binaries may run at once (ctest -j)
      {"IM_SKIP_INSTALL", "1"},
      {"IM_SKIP_BUILD", "1"},
      // A test binary may add lines through its ctest ENVIRONMENT (MetricsTest: fcgi.slow_ms).
      {"IM_EXTRA_CONFIG", std::string(kTestConfig) + (std::getenv("IM_TEST_EXTRA_CONFIG") ? std::getenv("IM_TEST_EXTRA_CONFIG") : "")},
      {"IM_SUPERVISE", "0"},
  };
  started_ = true;  // from here on, stop() must run `./im down` even if `up` fails half-way
  const CommandResult up = im("up");
  if (up.exitCode != 0) {
    throw std::runtime_error("`./im up` failed (exit " + std::to_string(up.exitCode) + "):\n" + up.output +
                             "\n" + logTails(40));
  }
}

void Stack::stop(bool keepFiles) {
  if (!started_) return;
  const CommandResult down = im("down");
  if (down.exitCode != 0) std::cerr << "`./im down` failed:\n" << down.output << "\n";
  started_ = false;
  if (keepFiles) {
    dir_->keep();
    std::cerr << "Stack: a test failed; logs kept in " << dir_->path() << "/log\n";
  }
  dir_.reset();
}

void Stack::restartStopped() {
  const CommandResult up = im("up");
  if (up.exitCode != 0) throw std::runtime_error("`./im up` (restart) failed:\n" + up.output + "\n" + logTails(30));
}

CommandResult Stack::im(const std::string& command) const {
  return runCommand({std::string(IM_SOURCE_DIR) + "/im", command}, env_);
}

std::vector<uint16_t> Stack::pushdPorts() const {
  std::vector<uint16_t> ports;
  for (int i = 0; i < kPushdNodes; ++i) ports.push_back(static_cast<uint16_t>(pushdPort_ + i));
  return ports;
}

Poco::JSON::Object::Ptr Stack::pushdStats(int node) const {
  const HttpClient client("127.0.0.1", pushdPorts().at(static_cast<size_t>(node)));
  const HttpResponse r = client.get("/stats", "", 3);
  if (r.status != 200) throw std::runtime_error("pushd /stats answered " + std::to_string(r.status) + ": " + r.body);
  return parseObject(r.body);
}

int Stack::heldPolls() const {
  int total = 0;
  for (int node = 0; node < kPushdNodes; ++node) {
    try {
      total += pushdStats(node)->getValue<int>("held_polls");
    } catch (const std::exception&) {  // Poco::Exception included
      // A node that is down holds nothing.
    }
  }
  return total;
}

bool Stack::waitForHeldPolls(int n, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (heldPolls() == n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

pid_t Stack::pidOf(const std::string& service) const {
  const std::string text = readFile(varDir() + "/run/" + service + ".pid");
  if (text.empty()) throw std::runtime_error("no pid file for " + service);
  return static_cast<pid_t>(std::stol(text));
}

void Stack::killPushd(int node, int sig) {
  const std::string name = "pushd-" + std::to_string(pushdPorts().at(static_cast<size_t>(node)));
  const pid_t pid = pidOf(name);
  ::kill(pid, sig);
  // Until the process is gone (or a zombie: PID 1 may not reap it), it may still hold its port.
  for (int i = 0; i < 500 && ::kill(pid, 0) == 0 && !isZombie(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

pid_t Stack::fcgiMasterPid() const { return pidOf("fcgi"); }

std::vector<pid_t> Stack::fcgiWorkerPids() const {
  const pid_t master = fcgiMasterPid();
  std::vector<pid_t> workers;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (parentOf(pid) == master && !isZombie(pid)) workers.push_back(pid);
  }
  return workers;
}

pid_t Stack::killOneFcgiWorker() {
  const auto workers = fcgiWorkerPids();
  if (workers.empty()) throw std::runtime_error("the fcgi master has no workers");
  ::kill(workers.front(), SIGKILL);
  return workers.front();
}

void Stack::restartRedis() {
  const pid_t pid = pidOf("redis");  // Redis deletes its pid file as it shuts down
  const CommandResult shutdown =
      runCommand({"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(redisPort_), "shutdown", "nosave"});
  (void)shutdown;  // redis-cli reports the closed connection as an error; the pid check below decides
  for (int i = 0; i < 500 && ::kill(pid, 0) == 0 && !isZombie(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  restartStopped();
}

std::vector<std::string> Stack::sql(const std::string& query) const {
  const CommandResult r = runCommand({"mariadb", "--no-defaults", "--socket=" + varDir() + "/run/mysql.sock",
                                      "-uroot", "--batch", "--skip-column-names", "im", "-e", query});
  if (r.exitCode != 0) throw std::runtime_error("SQL failed: " + query + "\n" + r.output);
  std::vector<std::string> rows;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  return rows;
}

long long Stack::sqlCount(const std::string& query) const {
  const auto rows = sql(query);
  if (rows.size() != 1) throw std::runtime_error("expected one row from: " + query);
  return std::stoll(rows[0]);
}

std::string Stack::logTails(int lines) const {
  std::string out;
  const std::string logDir = varDir() + "/log";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(logDir, ec)) {
    out += "--- " + entry.path().string() + "\n" + tail(readFile(entry.path()), lines) + "\n";
  }
  return out;
}

// --- supervision (SupervisionTest) ---
void Stack::startSupervisor() {
  Environment env = env_;
  env["IM_SUPERVISE"] = "1";
  const CommandResult up = runCommand({std::string(IM_SOURCE_DIR) + "/im", "up"}, env);
  if (up.exitCode != 0) throw std::runtime_error("`./im up` (supervised) failed:\n" + up.output + "\n" + logTails(30));
}

pid_t Stack::pushdPid(int node) const {
  return pidOf("pushd-" + std::to_string(pushdPorts().at(static_cast<size_t>(node))));
}

pid_t Stack::supervisorPid() const { return pidOf("supervise"); }

std::string Stack::status() const { return im("status").output; }
// --- end supervision ---

// --- cluster helpers (ClusterTest) ---
CommandResult Stack::redisCli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(redisPort_)};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

std::string Stack::pushdNodeId(int node) const {
  return "127.0.0.1:" + std::to_string(pushdPorts().at(static_cast<size_t>(node)));
}
// --- end cluster helpers ---

}  // namespace im::test

// ---- outages (OutageTest) ----
namespace im::test {

void Stack::stopMysql() {
  const pid_t pid = pidOf("mysql");
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 1500 && ::kill(pid, 0) == 0 && !isZombie(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (::kill(pid, 0) == 0 && !isZombie(pid)) ::kill(pid, SIGKILL);
}

void Stack::stopRedis() {
  const pid_t pid = pidOf("redis");
  (void)runCommand({"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(redisPort_), "shutdown", "nosave"});
  for (int i = 0; i < 500 && ::kill(pid, 0) == 0 && !isZombie(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Stack::pauseMysql(bool paused) { ::kill(pidOf("mysql"), paused ? SIGSTOP : SIGCONT); }

}  // namespace im::test
// ---- end outages ----
