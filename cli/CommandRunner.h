// SPDX-License-Identifier: MIT
// CommandRunner.h - carries out a parsed Command against the API on the input thread and prints
// the outcome; failures are explained in a sentence (a missing endpoint politely), never thrown.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>

#include "cli/ApiFailure.h"
#include "cli/CommandParser.h"
#include "cli/CurrentConversation.h"
#include "cli/Directory.h"
#include "cli/HttpApi.h"
#include "cli/Renderer.h"
#include "cli/StateFile.h"

namespace im::cli {

class CommandRunner {
 public:
  using Print = std::function<void(const std::string&)>;

  CommandRunner(HttpApi& api, Directory& directory, CurrentConversation& current, StateFile& state,
                uint64_t me, Print print);

  // False for :q!. `onSwitch` is told the new conversation's label.
  bool execute(const Command& command, const std::function<void(const std::string&)>& onSwitch);


 private:
  RenderContext context();
  // One sentence for the user; a server without the endpoint is told apart politely.
  void explain(const ApiFailure& failure, const std::string& what);
  void dispatch(const Command& c, const std::function<void(const std::string&)>& onSwitch);
  void send(const Command& c);
  void switchTo(const Command& c, const std::function<void(const std::string&)>& onSwitch);
  void online();
  void findUsers(const std::string& prefix);
  void search(const std::string& query);
  void history(int count);
  void conversations();
  void groups();
  void createGroup(const Command& c);
  void addMembers(const Command& c);
  void kick(const Command& c);
  void join(const Command& c);
  void leave(const Command& c);
  void info();
  std::vector<uint64_t> userIds(const std::vector<std::string>& names);
  Poco::JSON::Object::Ptr conversationOf(const Peer& peer);
  void markNewestRead(const Peer& peer, const Poco::JSON::Array::Ptr& newestFirst);

  HttpApi& api_;
  Directory& directory_;
  CurrentConversation& current_;
  StateFile& state_;
  uint64_t me_;
  Print print_;
};

}  // namespace im::cli
