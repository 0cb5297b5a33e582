// SPDX-License-Identifier: MIT
// main.cc - im-cli: options -> state file -> sign in -> the chat, `send` or `tail`.
#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <map>

#include "cli/Account.h"
#include "cli/ChatApp.h"
#include "cli/ExitCode.h"
#include "cli/PasswordPrompt.h"
#include "cli/ScriptMode.h"

extern char** environ;

namespace {

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

im::cli::ExitCode runMode(const im::cli::Options& options, im::cli::SignalWatcher& signals) {
  using namespace im::cli;
  const auto env = environment();
  StateFile state(StateFile::pathFor(env, options.url, options.user));
  HttpApi api(options.url);
  Account account(options, state, api, [&] { return readPassword(options.user); });
  account.signIn();
  if (options.mode == Options::Mode::Send) return runSend(options, account, api);
  if (options.mode == Options::Mode::Tail) return runTail(options, state, api, signals);
  ChatApp app(options, state, account, api, signals);
  return app.run();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace im::cli;
  const Options options = parseOptions(std::vector<std::string>(argv + 1, argv + argc), environment());
  if (options.mode == Options::Mode::Help) {
    std::cout << usageText();
    return toInt(ExitCode::Ok);
  }
  if (!options.error.empty()) {
    std::cerr << "im-cli: " << options.error << "\n" << usageText();
    return toInt(ExitCode::Usage);
  }
  ::signal(SIGPIPE, SIG_IGN);  // a hook that exits early must not kill us
  SignalWatcher signals(nullptr);  // first: every later thread inherits the blocked signals
  try {
    return toInt(runMode(options, signals));
  } catch (const ApiFailure& e) {
    std::cerr << "im-cli: " << e.what() << "\n";
    return toInt(exitCodeFor(e));
  } catch (const std::invalid_argument& e) {
    std::cerr << "im-cli: " << e.what() << "\n";
    return toInt(ExitCode::Usage);
  } catch (const std::exception& e) {
    std::cerr << "im-cli: " << e.what() << "\n";
    return toInt(ExitCode::Failure);
  }
}
