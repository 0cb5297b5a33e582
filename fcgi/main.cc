// SPDX-License-Identifier: MIT
// main.cc - im-fcgi: parse --config=FILE and --set key=value, load the Config, run the Supervisor.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "common/Config.h"
#include "common/Log.h"
#include "fcgi/Crypto.h"
#include "fcgi/process/Supervisor.h"

int main(int argc, char** argv) {
  std::string configPath;
  std::vector<std::string> overrides;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--config=", 0) == 0) configPath = arg.substr(9);
    else if (arg == "--set" && i + 1 < argc) overrides.emplace_back(argv[++i]);
    else if (arg.rfind("--set=", 0) == 0) overrides.push_back(arg.substr(6));
    else {
      std::fprintf(stderr, "usage: im-fcgi [--config=FILE] [--set key=value]...\n");
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
  im::common::setLogLevel(config.logLevel);
  im::fcgi::initCryptoOrDie();
  return im::fcgi::Supervisor(configPath, overrides, config).run();
}
