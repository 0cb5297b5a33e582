// SPDX-License-Identifier: MIT
// ChatApp.h - the interactive client: wires the line editor (input thread), the poller (its own
// thread and connection), the command runner, the --on-message hook, typing and read signals.
// Flow: run() prints a banner -> poller.start() -> editor.run() until :q!/Ctrl-D/a signal ->
// poller.stop() -> logout unless --keep-session.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "cli/Account.h"
#include "cli/CommandRunner.h"
#include "cli/CurrentConversation.h"
#include "cli/Directory.h"
#include "cli/ExitCode.h"
#include "cli/HttpApi.h"
#include "cli/LineEditor.h"
#include "cli/MessageHook.h"
#include "cli/Options.h"
#include "cli/Poller.h"
#include "cli/SignalWatcher.h"
#include "cli/StateFile.h"

namespace im::cli {

class ChatApp {
 public:
  ChatApp(const Options& options, StateFile& state, Account& account, HttpApi& api, SignalWatcher& signals);
  ChatApp(const ChatApp&) = delete;
  ChatApp& operator=(const ChatApp&) = delete;

  ExitCode run();

 private:
  // input thread
  void onLine(const std::string& line);
  void onKey(const std::string& buffer);
  // poller thread
  void onMessage(const ChatMessage& m);
  void onEvent(const Poco::JSON::Object::Ptr& event);
  void onFatal(const ApiFailure& failure);
  void markRead(const ChatMessage& m);
  RenderContext pollerContext();

  const Options& options_;
  StateFile& state_;
  Account& account_;
  HttpApi& api_;           // the input thread's connection
  HttpApi pollApi_;        // the poller thread's
  SignalWatcher& signals_;
  Directory directory_;
  CurrentConversation current_;
  LineEditor editor_;
  CommandRunner runner_;
  Poller poller_;
  std::unique_ptr<MessageHook> hook_;
  bool quit_ = false;  // :q! (not Ctrl-C): log out unless --keep-session
  std::atomic<ExitCode> exitCode_{ExitCode::Ok};
  // typing signals we send (input thread)
  std::chrono::steady_clock::time_point lastTypingSent_{};
  bool typingMissing_ = false;
  // poller thread
  std::map<std::string, std::chrono::steady_clock::time_point> typingShown_;
  bool readMissing_ = false;
};

}  // namespace im::cli
