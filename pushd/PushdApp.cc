// SPDX-License-Identifier: MIT
// PushdApp.cc - options, startup order, shutdown order.
#include "pushd/PushdApp.h"

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <exception>
#include <future>
#include <iostream>
#include <thread>

#include "common/Clock.h"
#include "common/Log.h"
#include "common/LogLevelReload.h"
#include "common/PushdSocket.h"
#include "common/ServiceNotify.h"
#include "common/Version.h"
#include "pushd/EarlyNotifications.h"
#include "pushd/NodeHeartbeat.h"
#include "pushd/PollRegistry.h"
#include "pushd/PollServer.h"
#include "pushd/RedisInbox.h"
#include "pushd/Stats.h"
#include "pushd/TimingWheel.h"
#include "pushd/net/EventLoop.h"

namespace im::pushd {
namespace {

// waitForTerminationRequest() sigwait()s on the main thread; every other thread must have these
// signals blocked, or the default action would kill the process from whichever thread got one.
void blockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client gone mid-write is an EPIPE, not a death
}

// Runs `task` on the loop thread and waits for it.
void runAndWait(net::EventLoop& loop, const std::function<void()>& task) {
  std::promise<void> done;
  loop.runInLoop([&] {
    task();
    done.set_value();
  });
  done.get_future().wait();
}

// Answers that met a full socket buffer still need the loop; they are tiny, so this is rare,
// and a client cut short re-polls through nginx's failover anyway. Bounded at about 1 s.
void letAnswersDrain(net::EventLoop& loop, PollServer& server) {
  for (int i = 0; i < 100; ++i) {
    size_t open = 0;
    runAndWait(loop, [&] { open = server.connections(); });
    if (open == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

void PushdApp::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  options.addOption(Poco::Util::Option("help", "h", "print this help and the config keys").required(false).repeatable(false));
  options.addOption(Poco::Util::Option("version", "", "print the version").required(false).repeatable(false));
  options.addOption(Poco::Util::Option("config", "c", "properties file (docs/internals.md lists the keys)")
                        .required(false).repeatable(false).argument("file"));
  options.addOption(Poco::Util::Option("set", "s", "override one config key").required(false).repeatable(true)
                        .argument("key=value"));
}

void PushdApp::handleOption(const std::string& name, const std::string& value) {
  ServerApplication::handleOption(name, value);
  if (name == "help") {
    helpRequested_ = true;
    stopOptionsProcessing();
  } else if (name == "version") {
    versionRequested_ = true;
    stopOptionsProcessing();
  } else if (name == "config") {
    configPath_ = value;
  } else if (name == "set") {
    overrides_.push_back(value);
  }
}

void PushdApp::printHelp() const {
  Poco::Util::HelpFormatter help(options());
  help.setCommand(commandName());
  help.setUsage("[--config=FILE] [--set key=value]...");
  help.setHeader(std::string("im-pushd ") + common::version() +
                 ": one push node; holds long polls and answers them from its Redis list.");
  help.setFooter("signals: SIGTERM/SIGINT answer every held poll (clients re-poll on another node), "
                 "deregister and exit; SIGHUP re-reads log.level and log.level.<component>; "
                 "SIGUSR1 reopens log.file");
  help.format(std::cout);
  std::cout << '\n' << common::configKeysHelp();
}

int PushdApp::main(const std::vector<std::string>&) {
  if (helpRequested_) {
    printHelp();
    return EXIT_OK;
  }
  if (versionRequested_) {
    std::cout << "im-pushd " << common::version() << '\n';
    return EXIT_OK;
  }
  common::Config config;
  try {
    config = common::loadConfig(configPath_, overrides_);
  } catch (const std::exception& e) {
    IM_ERROR("pushd", e.what());
    return EXIT_CONFIG;
  }
  common::applyLogLevels(config);
  try {
    common::setLogFile(config.logFile);
  } catch (const std::exception& e) {
    IM_ERROR("pushd", e.what());
    return EXIT_CANTCREAT;
  }
  common::installLogReopenHandler();
  blockTerminationSignals();
  const common::LogLevelReload levels(configPath_, overrides_);  // SIGHUP: log.level* again
  try {
    return serve(config);
  } catch (const std::exception& e) {
    IM_ERROR("pushd", std::string("cannot serve: ") + e.what());
    return EXIT_SOFTWARE;
  }
}

int PushdApp::serve(const common::Config& config) {
  const std::string nodeId = config.pushd.nodeId();
  common::SystemClock clock;
  net::EventLoop loop;
  Stats stats(nodeId, clock);
  EarlyNotifications early(config.pushd.earlyWindowMs);
  TimingWheel wheel(clock, kTickMs, kWheelSlots);
  PollServer server(loop, clock, stats, config.pushd.host, config.pushd.port,
                    common::pushdSocketPath(config.pushd.socketDir, nodeId));
  PollRegistry registry(loop, clock, wheel, early, server, stats,
                        PollRegistryOptions{config.pushd.gapWaitMs, static_cast<size_t>(config.pushd.maxHeld)});
  RedisInbox inbox(config.redis, nodeId, loop, clock, stats,
                   [&registry](const NotificationBatch& batch) { registry.notify(batch); });
  NodeHeartbeat heartbeat(config.redis, config.pushd, clock);

  // Sessions that named this node may be gone (Redis restarted): a send would not find the
  // held polls here and they would wait for their timeout. Answer them (empty) so every client
  // re-polls at once, which records its session again and catches up from MySQL.
  heartbeat.setOnRegisteredAgain([&loop, &registry] { loop.runInLoop([&registry] { registry.answerAll(); }); });
  // A Sentinel failover loses what the old primary had not replicated (notifications in flight,
  // sessions): the same re-poll, at once, on the loop thread.
  inbox.setOnPrimaryChanged([&registry] { registry.answerAll(); });
  server.start(registry);  // the seam: server -> registry (PollHandler), registry -> server (PollResponder)
  inbox.start();
  // The loop sleeps until one of these is due: nothing wakes an idle node on a fixed tick.
  loop.runWhenDue([&] { return net::fromNow(registry.nextDueMs(), clock.steadyMs()); }, [&] { registry.tick(); });
  loop.runWhenDue([&] { return net::fromNow(inbox.nextDueMs(), clock.steadyMs()); }, [&] { inbox.tick(); });
  loop.start();
  heartbeat.start();
  IM_INFO("pushd", "node " + nodeId + " serving");
  common::notifyReady("node " + nodeId + " serving");

  waitForTerminationRequest();
  IM_INFO("pushd", "terminating");
  common::notifyStopping();
  heartbeat.stop();  // deregister first: fcgi stops sending polls here
  runAndWait(loop, [&] {
    server.stopAccepting();
    inbox.stop();          // closes the Redis connection: a blocked pop cannot hold us
    registry.answerAll();  // every held client re-polls at once, on a live node
  });
  letAnswersDrain(loop, server);
  loop.stop();
  IM_INFO("pushd", "stopped");
  return EXIT_OK;
}

}  // namespace im::pushd
