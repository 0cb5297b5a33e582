// SPDX-License-Identifier: MIT
// FixtureCommand.h - `im-admin fixture users --prefix P --count N --tokens-out FILE`: N users with a
// session each (tokens to FILE) through fcgi/Crypto's token rules and fcgi/store/FixtureStore, for
// benchmarks and load tests: no Argon2 login per user; nobody knows the users' password.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/Config.h"
#include "fcgi/Db.h"
#include "fcgi/store/FixtureStore.h"

namespace im::admin {

class FixtureCommand {
 public:
  FixtureCommand(const common::Config& config, std::ostream& out, bool json);
  FixtureCommand(const FixtureCommand&) = delete;
  FixtureCommand& operator=(const FixtureCommand&) = delete;

  // True when `args` is a fixture command (its first word is "fixture").
  static bool handles(const std::vector<std::string>& args);
  // Runs `args`; throws std::runtime_error for a usage error, ApiError for a store failure.
  void run(const std::vector<std::string>& args);

 private:
  struct Options {
    std::string prefix;
    uint64_t count = 0;
    uint64_t batch = 5000;
    std::string tokensOut;
    std::string device = "fixture";
  };
  static Options parse(const std::vector<std::string>& args);
  void users(const Options& o);

  const common::Config& config_;
  std::ostream& out_;
  const bool json_;
  common::SystemClock clock_;
  fcgi::Db db_;
  fcgi::FixtureStore store_;
};

}  // namespace im::admin
