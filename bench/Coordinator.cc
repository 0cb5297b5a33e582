// SPDX-License-Identifier: MIT
// Coordinator.cc - fork, wait for "held", go/stop, merge. Children report over a pipe as text lines:
// "c <name> <n>", "d|s|f <samples>", "t <send phase seconds>", "k <capacity step>"; the parent reads each pipe to EOF
// before waitpid, so a child blocked on a full pipe never deadlocks it.
#include "bench/Coordinator.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace im::bench {
namespace {

volatile std::sig_atomic_t gStop = 0;
void onStop(int) { gStop = 1; }

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void writeAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

std::string report(LoadResult& r) {
  std::string out;
  for (const auto& [name, value] : r.counters) out += "c " + name + " " + std::to_string(value) + "\n";
  out += "d " + r.delivery.serialize() + "\n";
  out += "s " + r.send.serialize() + "\n";
  out += "f " + r.fanout.serialize() + "\n";
  out += "a " + r.fanoutAfterAnswer.serialize() + "\n";
  out += "1 " + r.fanoutFirst.serialize() + "\n";
  out += "m " + r.fanoutMedian.serialize() + "\n";
  out += "t " + std::to_string(r.sendPhaseS) + "\n";
  for (const CapacityStep& step : r.steps) out += "k " + CapacitySteps::serialize(step) + "\n";
  return out;
}

}  // namespace

std::string httpGet(const std::string& url) {
  // url: host:port/path
  const size_t colon = url.find(':');
  const size_t slash = url.find('/');
  if (colon == std::string::npos || slash == std::string::npos) return "";
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(url.c_str() + colon + 1)));
  ::inet_pton(AF_INET, url.substr(0, colon).c_str(), &addr.sin_addr);
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
    writeAll(fd, "GET " + url.substr(slash) + " HTTP/1.0\r\nHost: bench\r\n\r\n");
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  const size_t body = out.find("\r\n\r\n");
  return body == std::string::npos ? "" : out.substr(body + 4);
}

LoadConfig Coordinator::configFor(int k) const {
  LoadConfig c = options_.base;
  const auto procs = static_cast<size_t>(options_.procs);
  const auto index = static_cast<size_t>(k);
  c.pollers.clear();
  for (size_t i = index; i < options_.base.pollers.size(); i += procs) c.pollers.push_back(options_.base.pollers[i]);
  c.senders.clear();
  for (size_t i = index; i < options_.base.senders.size(); i += procs) c.senders.push_back(options_.base.senders[i]);
  if (c.senders.empty()) c.senders = options_.base.senders;
  c.connectRate /= options_.procs;
  c.sendRate /= options_.procs;
  c.sourceIp = "127.0.0." + std::to_string(options_.sourceBase + k);
  return c;
}

void Coordinator::spawn(int k) {
  int control[2];
  int results[2];
  if (::pipe2(control, O_CLOEXEC) != 0 || ::pipe2(results, O_CLOEXEC) != 0) {
    std::perror("im-loadgen: pipe");
    std::exit(1);
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("im-loadgen: fork");
    std::exit(1);
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    ::signal(SIGINT, SIG_IGN);  // the parent relays a Ctrl-C as "stop", so results still arrive
    ::signal(SIGTERM, SIG_DFL);
    ::close(control[1]);
    ::close(results[0]);
    for (const Child& other : children_) {
      ::close(other.control);
      ::close(other.results);
    }
    LoadConfig config = configFor(k);
    config.controlFd = control[0];
    LoadResult r = LoadGen(std::move(config)).run();
    writeAll(results[1], report(r));
    ::_exit(0);
  }
  ::close(control[0]);
  ::close(results[1]);
  children_.push_back(Child{pid, control[1], results[0]});
}

uint64_t Coordinator::heldNow() const {
  uint64_t sum = 0;
  for (const auto& url : options_.heldUrls) {
    const std::string body = httpGet(url);
    const size_t key = body.find(options_.heldKey);
    if (key == std::string::npos) continue;
    size_t pos = key + options_.heldKey.size();
    while (pos < body.size() && (body[pos] < '0' || body[pos] > '9')) ++pos;
    sum += std::strtoull(body.c_str() + pos, nullptr, 10);
  }
  return sum;
}

void Coordinator::tellAll(const char* word) {
  for (const Child& c : children_) writeAll(c.control, std::string(word) + "\n");
}

void Coordinator::collect(LoadResult& merged) {
  for (Child& c : children_) {
    std::string text;
    char buffer[65536];
    ssize_t n;
    while ((n = ::read(c.results, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
    ::close(c.results);
    ::close(c.control);
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.size() < 2) continue;
      const std::string rest = line.substr(2);
      if (line[0] == 'c') {
        const size_t space = rest.rfind(' ');
        merged.counters[rest.substr(0, space)] += std::strtoull(rest.c_str() + space + 1, nullptr, 10);
      } else if (line[0] == 'd') {
        merged.delivery.merge(Samples::parse(rest));
      } else if (line[0] == 's') {
        merged.send.merge(Samples::parse(rest));
      } else if (line[0] == 'f') {
        merged.fanout.merge(Samples::parse(rest));
      } else if (line[0] == 'a') {
        merged.fanoutAfterAnswer.merge(Samples::parse(rest));
      } else if (line[0] == '1') {
        merged.fanoutFirst.merge(Samples::parse(rest));
      } else if (line[0] == 'm') {
        merged.fanoutMedian.merge(Samples::parse(rest));
      } else if (line[0] == 'k') {
        merged.steps.push_back(CapacitySteps::parse(rest));  // capacity runs in one process
      } else if (line[0] == 't') {
        merged.sendPhaseS = std::max(merged.sendPhaseS, std::strtod(rest.c_str(), nullptr));
      }
    }
  }
}

std::string Coordinator::run() {
  ::signal(SIGTERM, onStop);
  ::signal(SIGINT, onStop);
  ::signal(SIGPIPE, SIG_IGN);
  const auto start = std::chrono::steady_clock::now();
  for (int k = 0; k < options_.procs; ++k) spawn(k);
  const Mode mode = options_.base.mode;
  if (mode != Mode::Closed) {
    const auto target = static_cast<uint64_t>(static_cast<double>(options_.base.pollers.size()) * options_.heldFraction);
    while (!gStop && secondsSince(start) < options_.waitHeldS) {
      held_ = heldNow();
      if (held_ >= target) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    heldAfterS_ = secondsSince(start);
    if (!options_.readyFile.empty()) std::ofstream(options_.readyFile) << held_ << "\n";
    if (mode == Mode::Hold) {
      const auto holdStart = std::chrono::steady_clock::now();
      while (!gStop && secondsSince(holdStart) < options_.holdS) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      held_ = std::max(held_, heldNow());
      tellAll("stop");
    } else {
      tellAll(gStop ? "stop" : "go");
    }
  }
  LoadResult merged;
  collect(merged);
  std::ostringstream out;
  const double phase = merged.sendPhaseS;
  uint64_t ok = 0, answered = 0;
  for (const auto& [name, value] : merged.counters) {
    if (name.rfind("send_status_2", 0) == 0) ok += value;
    if (name.rfind("send_status_", 0) == 0) answered += value;
  }
  out << "{\"mode\":\"" << modeName(mode) << "\",\"protocol\":\"" << protocolName(options_.base.protocol)
      << "\",\"procs\":" << options_.procs
      << ",\"polls\":" << options_.base.pollers.size() << ",\"held\":" << held_ << ",\"held_after_s\":" << heldAfterS_
      << ",\"send_phase_s\":" << phase << ",\"ok_per_s\":" << (phase > 0 ? static_cast<double>(ok) / phase : 0)
      << ",\"answered_per_s\":" << (phase > 0 ? static_cast<double>(answered) / phase : 0) << ",\"counters\":{";
  bool first = true;
  for (const auto& [name, value] : merged.counters) {
    out << (first ? "" : ",") << "\"" << name << "\":" << value;
    first = false;
  }
  out << "},\"delivery\":" << merged.delivery.json() << ",\"send\":" << merged.send.json()
      << ",\"fanout\":" << merged.fanout.json() << ",\"fanout_after_answer\":" << merged.fanoutAfterAnswer.json()
      << ",\"fanout_first\":" << merged.fanoutFirst.json() << ",\"fanout_median_member\":" << merged.fanoutMedian.json()
      << ",\"steps\":[";
  for (size_t i = 0; i < merged.steps.size(); ++i) {
    const CapacityStep& k = merged.steps[i];
    const double stepS = options_.base.stepS;
    out << (i ? "," : "") << "{\"offered_per_s\":" << k.offeredPerS << ",\"due\":" << k.due << ",\"written\":" << k.written
        << ",\"delivered\":" << k.delivered << ",\"delivered_per_s\":" << static_cast<double>(k.delivered) / stepS
        << ",\"p50_us\":" << k.p50Us << ",\"p99_us\":" << k.p99Us << ",\"pass\":" << (k.pass ? "true" : "false") << "}";
  }
  out << "]}";
  return out.str();
}

}  // namespace im::bench
