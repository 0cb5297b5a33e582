// SPDX-License-Identifier: MIT
// main.cc - im-fcgi: parse --config=FILE and --set key=value (or answer --version/--help), load
// the Config, run the Supervisor.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "common/Config.h"
#include "common/Log.h"
#include "common/LogLevelReload.h"
#include "common/Version.h"
#include "fcgi/Crypto.h"
#include "fcgi/process/Supervisor.h"

namespace {

constexpr const char* kUsage = "usage: im-fcgi [--config=FILE] [--set key=value]... | --version | --help\n";

void printHelp() {
  std::printf("%s", kUsage);
  std::printf("im-fcgi %s: the FastCGI worker pool (a master forking fcgi.workers workers).\n", im::common::version());
  std::printf("signals: SIGHUP re-read the config and replace the workers;\n"
              "  SIGUSR2 upgrade: exec the binary now at this path (same pid, same socket), whose\n"
              "  workers start before the old ones finish their request and exit;\n"
              "  SIGUSR1 reopen log.file; SIGTERM/SIGINT stop\n\n");
  std::printf("%s", im::common::configKeysHelp().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::string configPath;
  std::vector<std::string> overrides;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--version") {
      std::printf("im-fcgi %s\n", im::common::version());
      return 0;
    }
    if (arg == "--help" || arg == "-h") {
      printHelp();
      return 0;
    }
    if (arg.rfind("--config=", 0) == 0) configPath = arg.substr(9);
    else if (arg == "--set" && i + 1 < argc) overrides.emplace_back(argv[++i]);
    else if (arg.rfind("--set=", 0) == 0) overrides.push_back(arg.substr(6));
    else {
      std::fprintf(stderr, "%s", kUsage);
      return 2;
    }
  }
  im::common::Config config;
  try {
    config = im::common::loadConfig(configPath, overrides);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "im-fcgi: %s\n", e.what());
    return 2;
  }
  im::common::applyLogLevels(config);
  try {
    im::common::setLogFile(config.logFile);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "im-fcgi: %s\n", e.what());
    return 2;
  }
  im::common::installLogReopenHandler();  // the workers' handler; the master takes SIGUSR1 itself
  im::fcgi::initCryptoOrDie();
  return im::fcgi::Supervisor(configPath, overrides, config).run();
}
