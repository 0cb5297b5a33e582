// SPDX-License-Identifier: MIT
// MetricsTest.cc - issue 13: /im/metrics and /im/status cover the pool and every node, move with
// traffic, parse as Prometheus text, refuse non-loopback clients; the slow log carries nginx's
// request id, so do pushd's lines about a held poll, and the fcgi log is reopened on SIGUSR1.
// This binary runs with fcgi.slow_ms = 0 and log.level = debug.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"
#include "tests/support/TextFile.h"

namespace im::test {
namespace {

using namespace std::chrono_literals;

// Prometheus text exposition 0.0.4, strictly enough to catch what a scraper rejects: every line
// a # HELP/# TYPE or `name{labels} value`; every sample's family TYPEd before it; a histogram's
// buckets cumulative with +Inf equal to _count. Returns the samples, "name{labels}" -> value.
::testing::AssertionResult ParsesAsPrometheus(const std::string& text, std::map<std::string, double>& samples) {
  static const std::regex kComment(R"(^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$)");
  static const std::regex kSample(
      R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*)?\})? (-?[0-9.e+-]+|\+Inf|NaN)$)re");
  std::map<std::string, std::string> types;
  std::istringstream lines(text);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    std::smatch m;
    if (std::regex_match(line, m, kComment)) {
      if (m[1] == "TYPE") {
        if (types.count(m[2])) return ::testing::AssertionFailure() << "line " << n << ": second TYPE for " << m[2];
        const std::set<std::string> known{"counter", "gauge", "histogram", "summary", "untyped"};
        if (!known.count(m[3])) return ::testing::AssertionFailure() << "line " << n << ": type " << m[3];
        types[m[2]] = m[3];
      }
      continue;
    }
    if (!std::regex_match(line, m, kSample)) return ::testing::AssertionFailure() << "line " << n << ": " << line;
    std::string family = m[1];
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (!types.count(family) && family.size() > s.size() && family.compare(family.size() - s.size(), s.size(), s) == 0) {
        family = family.substr(0, family.size() - s.size());
      }
    }
    if (!types.count(family)) return ::testing::AssertionFailure() << "line " << n << ": no TYPE before " << line;
    samples[m[1].str() + m[2].str()] = std::stod(m[7] == "+Inf" ? "inf" : m[7].str());
  }
  if (n == 0) return ::testing::AssertionFailure() << "empty text";
  return ::testing::AssertionSuccess();
}

// The lines of `text` that contain `needle`.
std::vector<std::string> linesWith(const std::string& text, const std::string& needle) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(needle) != std::string::npos) out.push_back(line);
  }
  return out;
}

double sumOf(const std::map<std::string, double>& samples, const std::string& prefix) {
  double total = 0;
  for (const auto& [key, value] : samples) {
    if (key.rfind(prefix, 0) == 0) total += value;
  }
  return total;
}

// The sample's value; a missing sample fails the test, naming it (0 for a counter not yet seen
// when `missingIsZero`).
double at(const std::map<std::string, double>& samples, const std::string& key, bool missingIsZero = false) {
  const auto it = samples.find(key);
  if (it != samples.end()) return it->second;
  if (!missingIsZero) ADD_FAILURE() << "no sample " << key;
  return 0;
}

class Metrics : public ::testing::Test {
 protected:
  std::map<std::string, double> scrape() {
    const HttpResponse r = api_.http().get("/im/metrics");
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, double> samples;
    EXPECT_TRUE(ParsesAsPrometheus(r.body, samples)) << r.body;
    return samples;
  }
  // curl from another loopback address: nginx sees $remote_addr 127.0.0.2.
  CommandResult fetchFrom(const std::string& source, const std::string& path) const {
    return runCommand({"curl", "-sS", "--interface", source, "-w", "\n%{http_code}",
                       "http://127.0.0.1:" + std::to_string(stack_.http().port()) + path});
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
};

TEST_F(Metrics, CountersMoveWhenTrafficFlows) {
  const TestUser alice = api_.newUser("met_alice");
  const TestUser bob = api_.newUser("met_bob");
  const auto before = scrape();
  auto poll = std::async(std::launch::async, [&] { return api_.poll(bob.token, 0, 20); });
  ASSERT_TRUE(stack_.waitForHeldPolls(1, 10s));
  for (int i = 0; i < 3; ++i) api_.sendOk(alice.token, bob.id, "m" + std::to_string(i));
  ASSERT_EQ(poll.wait_for(10s), std::future_status::ready);
  ASSERT_EQ(poll.get().status, 200);
  const auto after = scrape();

  const std::string send = R"(im_fcgi_requests_total{method="POST",route="/im/send"})";
  EXPECT_EQ(at(after, send) - at(before, send), 3);
  EXPECT_GE(at(after, "im_fcgi_request_duration_seconds_count") - at(before, "im_fcgi_request_duration_seconds_count"), 5);
  EXPECT_GE(sumOf(after, "im_pushd_deliveries_total") - sumOf(before, "im_pushd_deliveries_total"), 1);
  EXPECT_GE(sumOf(after, "im_pushd_notifications_total") - sumOf(before, "im_pushd_notifications_total"), 1);
  EXPECT_GE(sumOf(after, "im_pushd_push_duration_seconds_count"), 1);
  for (int node = 0; node < Stack::kPushdNodes; ++node) {
    EXPECT_EQ(at(after, "im_pushd_up{node=\"" + stack_.pushdNodeId(node) + "\"}"), 1) << "one scrape covers every node";
  }
  // The scraping worker is busy; every other is idle.
  EXPECT_GE(at(after, R"(im_fcgi_workers{state="busy"})"), 1);
  EXPECT_EQ(at(after, R"(im_fcgi_workers{state="busy"})") + at(after, R"(im_fcgi_workers{state="idle"})"), Stack::kFcgiWorkers);
  EXPECT_GT(at(after, "im_fcgi_listen_queue_max"), 0);
  EXPECT_EQ(at(after, "im_fcgi_listen_queue"), 0);
  EXPECT_GE(at(after, "im_fcgi_worker_spawns_total"), Stack::kFcgiWorkers);
}

TEST_F(Metrics, ErrorsCountByCodeAndRoute) {
  const auto before = scrape();
  EXPECT_EQ(api_.http().get("/im/history?with=1").status, 401);
  const auto after = scrape();
  const std::string code = R"(im_fcgi_responses_total{code="401"})";
  EXPECT_EQ(at(after, code) - at(before, code, true), 1);
  const std::string history = R"(im_fcgi_errors_total{method="GET",route="/im/history"})";
  EXPECT_EQ(at(after, history) - at(before, history), 1);
}

TEST_F(Metrics, StatusCoversThePoolAndEveryNode) {
  const HttpResponse r = api_.http().get("/im/status");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(IsJson(r));
  const auto status = parseObject(r.body);
  EXPECT_EQ(status->getArray("workers")->size(), static_cast<size_t>(Stack::kFcgiWorkers));
  EXPECT_EQ(status->getValue<int>("active_workers") + status->getValue<int>("idle_workers"), Stack::kFcgiWorkers);
  EXPECT_GT(status->getValue<int>("max_listen_queue"), 0);
  const auto nodes = status->getArray("nodes");
  ASSERT_EQ(nodes->size(), static_cast<size_t>(Stack::kPushdNodes));
  for (unsigned i = 0; i < nodes->size(); ++i) EXPECT_TRUE(nodes->getObject(i)->getValue<bool>("up"));
}

TEST_F(Metrics, ANonLoopbackClientIsRefusedWithJson) {
  for (const std::string path : {"/im/metrics", "/im/status"}) {
    const CommandResult refused = fetchFrom("127.0.0.2", path);
    ASSERT_EQ(refused.exitCode, 0) << refused.output;
    EXPECT_EQ(refused.output.substr(refused.output.rfind('\n') + 1), "403") << refused.output;
    EXPECT_NE(refused.output.find(R"("error":"forbidden")"), std::string::npos) << refused.output;
    const CommandResult allowed = fetchFrom("127.0.0.1", path);
    EXPECT_EQ(allowed.output.substr(allowed.output.rfind('\n') + 1), "200") << allowed.output;
  }
}

// The id nginx logged for a request (access log `req=`), found on the worker's line about it.
TEST_F(Metrics, TheSlowLogCarriesNginxsRequestId) {
  const std::string probe = "probe" + std::to_string(::getpid());
  ASSERT_EQ(api_.http().get("/im/health?" + probe).status, 200);
  std::smatch m;
  std::string access;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  const std::regex line(probe + R"([^\n]* req=([0-9a-f]{32}))");
  while (!std::regex_search(access, m, line) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    access = readTextFile(stack_.varDir() + "/log/nginx-access.log");
  }
  ASSERT_TRUE(std::regex_search(access, m, line)) << access;
  const std::string id = m[1];
  std::string fcgi;
  for (int i = 0; i < 200 && fcgi.find("req=" + id) == std::string::npos; ++i) {
    std::this_thread::sleep_for(50ms);
    fcgi = readTextFile(stack_.varDir() + "/log/fcgi.log");
  }
  const auto at = fcgi.find("req=" + id);
  ASSERT_NE(at, std::string::npos) << "no worker line carries req=" << id;
  const std::string workerLine = fcgi.substr(fcgi.rfind('\n', at) + 1, fcgi.find('\n', at) - fcgi.rfind('\n', at) - 1);
  EXPECT_NE(workerLine.find("level=warning"), std::string::npos) << workerLine;
  EXPECT_NE(workerLine.find("component=worker"), std::string::npos) << workerLine;
  EXPECT_NE(workerLine.find(R"(slow request route=\"GET /im/health\" status=200)"), std::string::npos) << workerLine;
}

// A held poll's nginx request id reaches pushd through the hand-over (HoldRequest's req): the
// node's line about the poll timing out (debug: this binary runs with log.level = debug)
// carries the same req= as nginx's access log and the worker's line.
TEST_F(Metrics, PushdLogsTheHeldPollsRequestId) {
  const TestUser carol = api_.newUser("met_carol");
  const std::string probe = "held" + std::to_string(::getpid());
  const HttpResponse poll = api_.http().get("/im/poll?since=0&timeout=1&" + probe + "=1", carol.token, 25);
  ASSERT_EQ(poll.status, 200) << poll.body;
  std::smatch m;
  std::string access;
  const std::regex line(probe + R"([^\n]* req=([0-9a-f]{32}))");
  for (int i = 0; i < 200 && !std::regex_search(access, m, line); ++i) {
    if (i > 0) std::this_thread::sleep_for(50ms);
    access = readTextFile(stack_.varDir() + "/log/nginx-access.log");
  }
  ASSERT_TRUE(std::regex_search(access, m, line)) << access;
  const std::string req = "req=" + m[1].str();
  std::string pushd;
  for (int i = 0; i < 200 && pushd.find("timed out") == std::string::npos; ++i) {
    if (i > 0) std::this_thread::sleep_for(50ms);
    pushd.clear();
    for (const uint16_t port : stack_.pushdPorts()) {
      for (const std::string& l : linesWith(readTextFile(stack_.varDir() + "/log/pushd-" + std::to_string(port) + ".log"), req)) {
        pushd += l + "\n";
      }
    }
  }
  EXPECT_NE(pushd.find("component=poll " + req + R"( msg="held uid=)" + std::to_string(carol.id) + " since=0 timeout_s=1"),
            std::string::npos) << pushd;
  EXPECT_NE(pushd.find("level=debug"), std::string::npos) << pushd;
  EXPECT_NE(pushd.find(R"(msg="timed out uid=)" + std::to_string(carol.id) + " since=0"), std::string::npos) << pushd;
  EXPECT_NE(readTextFile(stack_.varDir() + "/log/fcgi.log").find(req), std::string::npos) << "the worker logged another id";
}

// logrotate moves the file away, then `./im reopen-logs` (SIGUSR1): new lines go to a new file.
TEST_F(Metrics, TheFcgiLogIsReopenedOnSigusr1) {
  const std::string log = stack_.varDir() + "/log/fcgi.log";
  std::filesystem::rename(log, log + ".1");
  ::kill(stack_.fcgiMasterPid(), SIGUSR1);
  const std::string probe = "reopened" + std::to_string(::getpid());
  bool found = false;
  for (int i = 0; i < 100 && !found; ++i) {
    ASSERT_EQ(api_.http().get("/im/health?" + probe).status, 200);  // each worker logs it (slow_ms 0)
    found = readTextFile(log).find("master") != std::string::npos && readTextFile(log).find("slow request") != std::string::npos;
    if (!found) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(found) << "nothing was written to the reopened " << log;
  // Every worker reopened: N requests more each land in the new file, none in the old.
  const std::string old = readTextFile(log + ".1");
  for (int i = 0; i < 3 * Stack::kFcgiWorkers; ++i) ASSERT_EQ(api_.http().get("/im/health").status, 200);
  EXPECT_EQ(readTextFile(log + ".1"), old) << "a worker still writes to the rotated file";
}

// Last: it restarts Redis. Each node's inbox comes back from the outage, and says so.
TEST_F(Metrics, ZzEveryNodeCountsItsRedisReconnect) {
  const double before = sumOf(scrape(), "im_pushd_redis_reconnects_total");
  stack_.restartRedis();
  double after = before;
  for (int i = 0; i < 200 && after < before + Stack::kPushdNodes; ++i) {
    std::this_thread::sleep_for(50ms);
    if (api_.http().get("/im/health").status != 200) continue;
    after = sumOf(scrape(), "im_pushd_redis_reconnects_total");
  }
  EXPECT_EQ(after, before + Stack::kPushdNodes);
}

}  // namespace
}  // namespace im::test
