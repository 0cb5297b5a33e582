// SPDX-License-Identifier: MIT
// CommandRunner.cc - one function per command; each prints what the user asked to see.
#include "cli/CommandRunner.h"

#include <Poco/JSON/Array.h>

#include <chrono>

#include "cli/Sender.h"

namespace im::cli {
namespace {

using Kind = Command::Kind;
using Poco::JSON::Array;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

size_t sizeOf(const Array::Ptr& a) { return a.isNull() ? 0 : a->size(); }
Poco::JSON::Object::Ptr at(const Array::Ptr& a, size_t i) { return a->getObject(static_cast<unsigned>(i)); }

}  // namespace

CommandRunner::CommandRunner(HttpApi& api, Directory& directory, CurrentConversation& current, StateFile& state,
                             uint64_t me, Print print)
    : api_(api), directory_(directory), current_(current), state_(state), me_(me), print_(std::move(print)) {}

RenderContext CommandRunner::context() {
  return RenderContext{me_, nowMs(), [this](uint64_t id) { return directory_.userName(id, api_); },
                       [this](uint64_t id) { return directory_.groupName(id, api_); }};
}

void CommandRunner::explain(const ApiFailure& failure, const std::string& what) {
  if (failure.missingEndpoint()) {
    print_("sorry: this server does not offer " + what + " yet (it answered \"No such endpoint.\")");
  } else if (failure.status() == 0) {
    print_("cannot reach the server: " + std::string(failure.what()));
  } else {
    print_(what + " failed: " + failure.what());
  }
}

bool CommandRunner::execute(const Command& command, const std::function<void(const std::string&)>& onSwitch) {
  if (command.kind == Kind::Quit) return false;
  try {
    dispatch(command, onSwitch);
  } catch (const ApiFailure& e) {
    explain(e, "the command");
  } catch (const std::exception& e) {
    print_(std::string("error: ") + e.what());
  }
  return true;
}

void CommandRunner::dispatch(const Command& c, const std::function<void(const std::string&)>& onSwitch) {
  switch (c.kind) {
    case Kind::Empty: return;
    case Kind::Invalid: return print_(c.error);
    case Kind::SendCurrent:
    case Kind::Send: return send(c);
    case Kind::SwitchTo: return switchTo(c, onSwitch);
    case Kind::OnlineUsers: return online();
    case Kind::FindUsers: return findUsers(c.text);
    case Kind::Search: return search(c.text);
    case Kind::History: return history(c.count > 0 ? c.count : 20);
    case Kind::Conversations: return conversations();
    case Kind::Groups: return groups();
    case Kind::CreateGroup: return createGroup(c);
    case Kind::AddMembers: return addMembers(c);
    case Kind::Kick: return kick(c);
    case Kind::Join: return join(c);
    case Kind::Leave: return leave(c);
    case Kind::Info: return info();
    case Kind::Help: return print_(helpText());
    case Kind::Quit: return;
  }
}

// The message itself shows when it comes back through the mailbox (it lands in ours too).
void CommandRunner::send(const Command& c) {
  Peer to;
  if (c.kind == Kind::SendCurrent) {
    to = current_.get().peer;
    if (to.empty()) return print_("no current conversation: write @bob text, #ops text, or :to bob first");
  } else if (c.targetIsGroup) {
    to.group = directory_.groupId(c.target, api_);
  } else {
    to.user = directory_.userId(c.target, api_);
  }
  try {
    sendWithRetry(api_, to, c.text, 4, print_);
  } catch (const ApiFailure& e) {
    explain(e, "sending");
  }
}

void CommandRunner::switchTo(const Command& c, const std::function<void(const std::string&)>& onSwitch) {
  CurrentConversation::Value v;
  if (c.targetIsGroup) {
    v.peer.group = directory_.groupId(c.target, api_);
    v.label = "#" + directory_.groupName(v.peer.group, api_);
  } else {
    v.peer.user = directory_.userId(c.target, api_);
    v.label = c.target;
  }
  current_.set(v);
  onSwitch(v.label);
  print_("now talking to " + v.label + " (plain text goes there; :h shows the history)");
}

void CommandRunner::online() {
  const auto users = api_.online()->getArray("users");
  std::string line = "online (" + std::to_string(sizeOf(users)) + "):";
  for (size_t i = 0; i < sizeOf(users); ++i) {
    const auto u = at(users, i);
    directory_.rememberUser(u->getValue<uint64_t>("user_id"), u->getValue<std::string>("username"));
    line += " " + u->getValue<std::string>("username");
  }
  print_(line);
}

void CommandRunner::findUsers(const std::string& prefix) {
  JsonPtr answer;
  try {
    answer = api_.users(prefix, 20);
  } catch (const ApiFailure& e) {
    return explain(e, "finding users by name (GET /im/users)");
  }
  const auto users = answer->getArray("users");
  if (sizeOf(users) == 0) return print_("no user name starts with " + prefix);
  std::string line = "users starting with " + prefix + ":";
  for (size_t i = 0; i < sizeOf(users); ++i) {
    const auto u = at(users, i);
    directory_.rememberUser(u->getValue<uint64_t>("user_id"), u->getValue<std::string>("username"));
    line += " " + u->getValue<std::string>("username");
  }
  print_(line);
}

void CommandRunner::search(const std::string& query) {
  JsonPtr answer;
  try {
    answer = api_.search(query, Peer{}, 20);
  } catch (const ApiFailure& e) {
    return explain(e, "searching history (GET /im/search)");
  }
  const auto messages = answer->getArray("messages");
  if (sizeOf(messages) == 0) return print_("nothing found for \"" + query + "\"");
  const RenderContext ctx = context();
  print_("found for \"" + query + "\" (newest last):");
  for (size_t i = sizeOf(messages); i-- > 0;) print_("  " + renderMessage(parseChatMessage(at(messages, i)), ctx));
}

Poco::JSON::Object::Ptr CommandRunner::conversationOf(const Peer& peer) {
  try {
    const auto list = api_.conversations(200)->getArray("conversations");
    for (size_t i = 0; i < sizeOf(list); ++i) {
      const auto c = at(list, i);
      if (peer.isGroup() ? c->optValue<uint64_t>("group", 0) == peer.group
                         : c->optValue<uint64_t>("with", 0) == peer.user) {
        return c;
      }
    }
  } catch (const ApiFailure&) {
    // No conversations endpoint: no read marks in the history.
  }
  return nullptr;
}

void CommandRunner::history(int count) {
  const auto current = current_.get();
  if (current.peer.empty()) return print_("no current conversation: :to bob or :to #ops first");
  const auto messages = api_.history(current.peer, count)->getArray("messages");
  if (sizeOf(messages) == 0) return print_("no messages with " + current.label + " yet");
  const auto conv = current.peer.isGroup() ? nullptr : conversationOf(current.peer);
  const uint64_t delivered = conv ? conv->optValue<uint64_t>("peer_delivered", 0) : 0;
  const uint64_t read = conv ? conv->optValue<uint64_t>("peer_read", 0) : 0;
  const RenderContext ctx = context();
  print_("history with " + current.label + ":");
  for (size_t i = sizeOf(messages); i-- > 0;) {
    const ChatMessage m = parseChatMessage(at(messages, i));
    print_("  " + renderMessage(m, ctx) + (m.from == me_ && !m.isGroup() ? readMark(m.msgId, delivered, read) : ""));
  }
  markNewestRead(current.peer, messages);
}

// What :h showed is read: the newest message from someone else moves the read marker.
void CommandRunner::markNewestRead(const Peer& peer, const Poco::JSON::Array::Ptr& newestFirst) {
  for (size_t i = 0; i < sizeOf(newestFirst); ++i) {
    const ChatMessage m = parseChatMessage(at(newestFirst, i));
    if (m.from == me_) continue;
    try {
      api_.markRead(peer, m.msgId);
    } catch (const ApiFailure&) {
      // Read markers are a courtesy to the sender; an older server has none.
    }
    return;
  }
}

void CommandRunner::conversations() {
  JsonPtr answer;
  try {
    answer = api_.conversations(50);
  } catch (const ApiFailure& e) {
    return explain(e, "the conversation list (GET /im/conversations)");
  }
  const auto list = answer->getArray("conversations");
  if (sizeOf(list) == 0) return print_("no conversations yet");
  const RenderContext ctx = context();
  print_("conversations (most recent first):");
  for (size_t i = 0; i < sizeOf(list); ++i) print_(renderConversation(at(list, i), ctx));
}

void CommandRunner::groups() {
  const auto list = directory_.refreshGroups(api_)->getArray("groups");
  if (sizeOf(list) == 0) return print_("you are in no group (:gc name user... creates one)");
  for (size_t i = 0; i < sizeOf(list); ++i) {
    print_(renderGroup(at(list, i)));
  }
}

std::vector<uint64_t> CommandRunner::userIds(const std::vector<std::string>& names) {
  std::vector<uint64_t> ids;
  for (const auto& name : names) ids.push_back(directory_.userId(name, api_));
  return ids;
}

void CommandRunner::createGroup(const Command& c) {
  const auto members = userIds(c.users);
  const uint64_t id = api_.createGroup(c.text, members)->getValue<uint64_t>("group_id");
  directory_.rememberGroup(id, c.text);
  print_("created #" + c.text + " (" + std::to_string(id) + ")");
}

void CommandRunner::addMembers(const Command& c) {
  const uint64_t group = directory_.groupId(c.target, api_);
  try {
    api_.addMembers(group, userIds(c.users));
  } catch (const ApiFailure& e) {
    return explain(e, "adding members");
  }
  print_("added to #" + directory_.groupName(group, api_));
}

void CommandRunner::kick(const Command& c) {
  const uint64_t group = directory_.groupId(c.target, api_);
  try {
    api_.removeMember(group, directory_.userId(c.users.at(0), api_));
  } catch (const ApiFailure& e) {
    return explain(e, "removing a member");
  }
  print_("removed " + c.users.at(0) + " from #" + directory_.groupName(group, api_));
}

void CommandRunner::join(const Command& c) {
  const uint64_t group = directory_.groupId(c.target, api_);
  try {
    api_.join(group);
  } catch (const ApiFailure& e) {
    return explain(e, "joining");
  }
  print_("joined #" + directory_.groupName(group, api_));
}

void CommandRunner::leave(const Command& c) {
  const uint64_t group = directory_.groupId(c.target, api_);
  const std::string name = directory_.groupName(group, api_);
  try {
    api_.leave(group);
  } catch (const ApiFailure& e) {
    return explain(e, "leaving");
  }
  print_("left #" + name);
}

void CommandRunner::info() {
  const auto current = current_.get();
  print_("you are " + directory_.userName(me_, api_) + " (id " + std::to_string(me_) + ") on " + api_.url() +
         "\ncursor " + std::to_string(state_.current().cursor) + ", state in " + state_.path() +
         "\ncurrent conversation: " + (current.label.empty() ? "none" : current.label));
}

}  // namespace im::cli
