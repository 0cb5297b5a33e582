// SPDX-License-Identifier: MIT
// ChatApp.cc - what the interactive client does with lines, keys, messages and events.
#include "cli/ChatApp.h"

#include <iostream>

namespace im::cli {
namespace {

constexpr auto kTypingEvery = std::chrono::seconds(3);  // API.md passes on one per 3 s anyway

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string promptFor(const std::string& label) { return label.empty() ? "> " : label + "> "; }

}  // namespace

ChatApp::ChatApp(const Options& options, StateFile& state, Account& account, HttpApi& api, SignalWatcher& signals)
    : options_(options),
      state_(state),
      account_(account),
      api_(api),
      pollApi_(options.url),
      signals_(signals),
      editor_(promptFor(""), [this](const std::string& line) { onLine(line); },
              [this](const std::string& buffer) { onKey(buffer); }),
      runner_(api_, directory_, current_, state_, account.userId(), [this](const std::string& t) { editor_.print(t); }),
      poller_(pollApi_, state_,
              PollerSink{[this](const ChatMessage& m) { onMessage(m); },
                         [this](const Poco::JSON::Object::Ptr& e) { onEvent(e); },
                         [this](const std::string& s) { editor_.print("-- " + s); },
                         [this](const ApiFailure& f) { onFatal(f); }}) {
  pollApi_.setToken(account.token());
  directory_.rememberUser(account.userId(), options.user);
  if (!options.onMessage.empty()) hook_ = std::make_unique<MessageHook>(options.onMessage);
}

ExitCode ChatApp::run() {
  editor_.print("signed in as " + options_.user + " on " + options_.url + " (cursor " +
                std::to_string(state_.current().cursor) + "). :help lists the commands, :q! quits.");
  signals_.setHandler([this] { editor_.stop(); });
  poller_.start();
  editor_.run();
  poller_.stop();
  signals_.setHandler(nullptr);
  if (quit_ && !options_.keepSession) {
    try {
      account_.signOut();
    } catch (const ApiFailure& e) {
      std::cerr << "im-cli: logout failed: " << e.what() << "\n";
    }
  }
  return exitCode_.load();
}

void ChatApp::onLine(const std::string& line) {
  const Command command = parseCommand(line);
  const bool goOn = runner_.execute(command, [this](const std::string& label) { editor_.setPrompt(promptFor(label)); });
  if (!goOn) {
    quit_ = true;
    editor_.stop();
  }
}

// A typing signal for the current conversation while text (not a command) is being written.
void ChatApp::onKey(const std::string& buffer) {
  if (typingMissing_ || buffer.empty() || buffer[0] == ':' || buffer[0] == '@' || buffer[0] == '#') return;
  const auto peer = current_.get().peer;
  const auto now = std::chrono::steady_clock::now();
  if (peer.empty() || now - lastTypingSent_ < kTypingEvery) return;
  lastTypingSent_ = now;
  try {
    api_.typing(peer);
  } catch (const ApiFailure& e) {
    typingMissing_ = e.missingEndpoint();  // an older server: stop asking
  }
}

RenderContext ChatApp::pollerContext() {
  return RenderContext{account_.userId(), nowMs(), [this](uint64_t id) { return directory_.userName(id, pollApi_); },
                       [this](uint64_t id) { return directory_.groupName(id, pollApi_); }};
}

void ChatApp::onMessage(const ChatMessage& m) {
  if (!m.fromName.empty()) directory_.rememberUser(m.from, m.fromName);
  editor_.print(renderMessage(m, pollerContext()));
  if (hook_) {
    const int status = hook_->run(m.json);
    if (status != 0) editor_.print("-- --on-message exited " + std::to_string(status));
  }
  markRead(m);
}

// Shown in the current conversation, so read: the sender's ✓✓.
void ChatApp::markRead(const ChatMessage& m) {
  if (readMissing_ || m.from == account_.userId()) return;
  const Peer peer = current_.get().peer;
  const bool here = m.isGroup() ? peer.group == m.group : (peer.user == m.from && !peer.isGroup());
  if (!here) return;
  try {
    pollApi_.markRead(peer, m.msgId);
  } catch (const ApiFailure& e) {
    readMissing_ = e.missingEndpoint();
  }
}

void ChatApp::onEvent(const Poco::JSON::Object::Ptr& event) {
  const std::string type = event->optValue<std::string>("type", "");
  const uint64_t from = event->optValue<uint64_t>("from", 0);
  if (from == account_.userId() || from == 0) return;  // our own other devices
  const RenderContext ctx = pollerContext();
  const uint64_t group = event->optValue<uint64_t>("group", 0);
  const std::string where = group != 0 ? " in #" + ctx.groupName(group) : "";
  if (type == "typing") {
    const std::string key = std::to_string(from) + "/" + std::to_string(group);
    const auto now = std::chrono::steady_clock::now();
    if (now - typingShown_[key] < kTypingEvery) return;
    typingShown_[key] = now;
    editor_.print("-- " + ctx.userName(from) + " is typing..." + where);
  } else if (type == "read") {
    editor_.print("-- \u2713\u2713 " + ctx.userName(from) + " read your messages" + where);
  }
}

void ChatApp::onFatal(const ApiFailure& failure) {
  editor_.print("-- the server refused this session (" + std::string(failure.what()) + "); start again to log in");
  exitCode_.store(ExitCode::Auth);
  editor_.stop();
}

}  // namespace im::cli
