// SPDX-License-Identifier: MIT
// Renderer.cc - text of messages and conversations.
#include "cli/Renderer.h"

#include <time.h>

#include <cstdio>

namespace im::cli {
namespace {

struct tm localTm(int64_t unixMs) {
  const time_t t = static_cast<time_t>(unixMs / 1000);
  struct tm out {};
  localtime_r(&t, &out);
  return out;
}

std::string conversationLabel(const ChatMessage& m, const RenderContext& ctx) {
  if (m.isGroup()) return "#" + ctx.groupName(m.group);
  return "";
}

}  // namespace

std::string formatLocalTime(int64_t unixMs, int64_t nowMs) {
  const struct tm when = localTm(unixMs);
  const struct tm now = localTm(nowMs);
  char text[32];
  const bool today = when.tm_year == now.tm_year && when.tm_yday == now.tm_yday;
  strftime(text, sizeof text, today ? "%H:%M" : "%Y-%m-%d %H:%M", &when);
  return text;
}

std::string renderMessage(const ChatMessage& m, const RenderContext& ctx) {
  std::string out = "[" + formatLocalTime(m.createdAtMs, ctx.nowMs) + "] ";
  const std::string sender = m.fromName.empty() ? ctx.userName(m.from) : m.fromName;
  if (!m.type.empty()) return out + conversationLabel(m, ctx) + " * " + m.body;
  if (m.isGroup()) return out + conversationLabel(m, ctx) + " " + (m.from == ctx.me ? "you" : sender) + ": " + m.body;
  if (m.from == ctx.me && m.to != ctx.me) return out + "you -> " + ctx.userName(m.to) + ": " + m.body;
  return out + sender + ": " + m.body;
}

std::string readMark(uint64_t msgId, uint64_t peerDelivered, uint64_t peerRead) {
  if (peerRead >= msgId) return " \u2713\u2713";
  if (peerDelivered >= msgId) return " \u2713";
  return "";
}

std::string renderConversation(const Poco::JSON::Object::Ptr& c, const RenderContext& ctx) {
  const bool group = c->has("group");
  const std::string name = c->optValue<std::string>("name", "?");
  std::string out = group ? "  #" + name + " (" + c->getValue<std::string>("group") + ")" : "  " + name;
  if (out.size() < 20) out.resize(20, ' ');
  const auto unread = c->optValue<uint64_t>("unread", 0);
  out += unread > 0 ? " " + std::to_string(unread) + " unread " : "          ";
  const auto last = c->getObject("last");
  if (last.isNull()) return out;
  const ChatMessage m = parseChatMessage(last);
  out += " " + renderMessage(m, ctx);
  if (!group && m.from == ctx.me) {
    out += readMark(m.msgId, c->optValue<uint64_t>("peer_delivered", 0), c->optValue<uint64_t>("peer_read", 0));
  }
  return out;
}

std::string renderGroup(const Poco::JSON::Object::Ptr& g) {
  const auto members = g->optValue<uint64_t>("members", 0);
  std::string out = "  #" + g->getValue<std::string>("name") + " (" + g->getValue<std::string>("group_id") + ")  " +
                    std::to_string(members) + (members == 1 ? " member" : " members");
  if (g->has("role")) out += ", you are " + g->getValue<std::string>("role");
  if (g->optValue<bool>("public", false)) out += ", public";
  return out;
}

}  // namespace im::cli
