// SPDX-License-Identifier: MIT
// loadgen_main.cc - im-loadgen: parses flags, reads the users file ("uid token [since]" per line,
// written by bench/run.sh), runs the Coordinator and prints its JSON on stdout.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "bench/Coordinator.h"

namespace {

using im::bench::RunOptions;
using im::bench::Mode;
using im::bench::User;

constexpr const char kUsage[] =
    "usage: im-loadgen --mode=hold|latency|fanout|closed|capacity --port=P --users=FILE [--polls=N] [--senders=S]\n"
    "  [--protocol=im|nchan] [--procs=K] [--connect-rate=R] [--send-rate=R] [--send-conns=C]\n"
    "  [--duration=S] [--timeout=S] [--group=G] [--rounds=N] [--method=M --path=P --body=B]\n"
    "  [--held-url=host:port/path ...] [--held-key=K] [--held-fraction=F] [--wait-held=S]\n"
    "  [--hold=S] [--ready-file=F] [--source-base=N] [--rates=R1,R2,... --step=S] [--drain=S]\n"
    "  [--no-backoff=1] (a failed poll re-polls at once: the misbehaving client)\n"
    "Users file: \"uid token [since]\" a line. Users [0, polls) hold polls (resuming from `since`);\n"
    "the next `senders` users send. capacity: one process (--procs=1).\n";

std::vector<User> readUsers(const std::string& path) {
  std::vector<User> users;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    User u;
    if (!(fields >> u.uid >> u.token)) continue;
    fields >> u.since;  // optional
    users.push_back(u);
  }
  return users;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  std::vector<std::string> heldUrls;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    if (arg.substr(2, eq - 2) == "held-url") heldUrls.push_back(arg.substr(eq + 1));
    else flags[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
  }
  const auto get = [&](const char* name, const std::string& fallback) {
    const auto it = flags.find(name);
    return it == flags.end() ? fallback : it->second;
  };
  const auto num = [&](const char* name, double fallback) { return std::stod(get(name, std::to_string(fallback))); };
  if (!flags.count("port") || (!flags.count("users") && get("mode", "") != "closed")) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::vector<User> users = flags.count("users") ? readUsers(flags["users"]) : std::vector<User>{};
  const auto polls = std::min(users.size(), static_cast<size_t>(num("polls", 0)));
  const auto senders = std::min(users.size() - polls, static_cast<size_t>(num("senders", 0)));

  RunOptions o;
  const auto mode = im::bench::parseMode(get("mode", "hold"));
  const auto protocol = im::bench::parseProtocol(get("protocol", "im"));
  if (!mode || !protocol) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  o.base.mode = *mode;
  o.base.protocol = *protocol;
  o.base.port = static_cast<uint16_t>(num("port", 8080));
  o.base.pollers.assign(users.begin(), users.begin() + static_cast<std::ptrdiff_t>(polls));
  o.base.senders.assign(users.begin() + static_cast<std::ptrdiff_t>(polls),
                        users.begin() + static_cast<std::ptrdiff_t>(polls + senders));
  for (const User& u : o.base.pollers) o.base.recipients.push_back(u.uid);
  o.base.pollTimeout = static_cast<int>(num("timeout", 60));
  o.base.connectRate = num("connect-rate", 2000);
  o.base.sendRate = num("send-rate", 0);
  o.base.sendConns = static_cast<int>(num("send-conns", 16));
  o.base.durationS = num("duration", 10);
  o.base.group = static_cast<uint64_t>(num("group", 0));
  o.base.rounds = static_cast<int>(num("rounds", 20));
  o.base.method = get("method", "GET");
  o.base.path = get("path", "/im/health");
  o.base.body = get("body", "");
  std::istringstream rates(get("rates", ""));
  for (std::string rate; std::getline(rates, rate, ',');) {
    if (!rate.empty()) o.base.rates.push_back(std::stod(rate));
  }
  o.base.stepS = num("step", 8);
  o.base.drainS = num("drain", 2);
  o.base.noBackoff = num("no-backoff", 0) != 0;
  o.procs = std::max(1, static_cast<int>(num("procs", 1)));
  o.sourceBase = static_cast<int>(num("source-base", 10));
  o.heldUrls = heldUrls;
  o.heldKey = get("held-key", "held_polls");
  if (o.base.mode == Mode::Fanout) {
    o.base.heldUrls = heldUrls;
    o.base.heldKey = o.heldKey;
  }
  // A step's verdict needs every delivery of its sends, and deliveries land in whichever process
  // holds the recipient: one process sees them all (10,000 polls fit in one).
  if (o.base.mode == Mode::Capacity && (o.procs != 1 || o.base.rates.empty())) {
    std::fputs("im-loadgen: capacity needs --procs=1 and --rates\n", stderr);
    return 2;
  }
  o.heldFraction = num("held-fraction", 1.0);
  o.waitHeldS = num("wait-held", 120);
  o.holdS = num("hold", 0);
  o.readyFile = get("ready-file", "");
  std::cout << im::bench::Coordinator(std::move(o)).run() << std::endl;
  return 0;
}
