// SPDX-License-Identifier: MIT
// ScriptMode.cc - send and tail.
#include "cli/ScriptMode.h"

#include <iostream>
#include <memory>

#include "cli/Directory.h"
#include "cli/MessageHook.h"
#include "cli/Poller.h"
#include "cli/Sender.h"

namespace im::cli {

ExitCode runSend(const Options& options, const Account& account, HttpApi& api) {
  Directory directory;
  directory.rememberUser(account.userId(), options.user);
  Peer to;
  if (!options.to.empty()) {
    to.user = directory.userId(options.to, api);
  } else {
    to.group = directory.groupId(options.group, api);
  }
  const auto answer = sendWithRetry(api, to, options.text, 5, [](const std::string& why) {
    std::cerr << "im-cli: " << why << "\n";
  });
  answer->stringify(std::cout);
  std::cout << std::endl;
  return ExitCode::Ok;
}

ExitCode runTail(const Options& options, StateFile& state, HttpApi& api, SignalWatcher& signals) {
  std::unique_ptr<MessageHook> hook;
  if (!options.onMessage.empty()) hook = std::make_unique<MessageHook>(options.onMessage);
  ExitCode code = ExitCode::Ok;
  PollerSink sink{
      [&](const ChatMessage& m) {
        std::cout << m.json << std::endl;  // flushed: a reader downstream sees it now
        if (hook) hook->run(m.json);
      },
      [](const Poco::JSON::Object::Ptr&) {},  // events are not messages
      [](const std::string& status) { std::cerr << "im-cli: " << status << "\n"; },
      [&](const ApiFailure& f) {
        std::cerr << "im-cli: the server refused the session: " << f.what() << "\n";
        code = ExitCode::Auth;
      }};
  Poller poller(api, state, std::move(sink));
  // stopRun, not requestStop: a signal can land after the loop's stop check and before its next
  // poll has connected, where one interrupt finds no connection and the loop would wait out a
  // whole held poll. The handler returns once run() has (setHandler below waits for it).
  signals.setHandler([&poller] { poller.stopRun(); });
  poller.run();
  signals.setHandler(nullptr);
  return code;
}

}  // namespace im::cli
