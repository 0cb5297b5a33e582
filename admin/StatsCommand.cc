// SPDX-License-Identifier: MIT
// StatsCommand.cc - one figure per line ("name<TAB>value"), or one JSON object of them.
#include "admin/StatsCommand.h"

#include <utility>
#include <vector>

#include "common/Json.h"
#include "fcgi/ops/PushdScrape.h"

namespace im::admin {
namespace {

constexpr int kScrapeTimeoutMs = 1000;

}  // namespace

void StatsCommand::run() {
  const fcgi::DbStats db = stats_.read();
  const auto approx = [&](const char* table) {
    const auto it = db.approxRows.find(table);
    return it == db.approxRows.end() ? uint64_t{0} : it->second;
  };
  uint64_t live = 0, held = 0;
  for (const auto& n : fcgi::scrapePushd(services_.nodes.liveNodes(), kScrapeTimeoutMs)) {
    if (!n.stats) continue;
    ++live;
    held += n.stats->getValue<uint64_t>("held_polls");
  }
  const std::vector<std::pair<const char*, uint64_t>> figures = {
      {"users", db.users},
      {"users_deleted", db.deletedUsers},
      {"groups", db.groups},
      {"last_msg_id", db.lastMsgId},
      {"messages_approx", approx("messages")},
      {"messages_archived_approx", approx("messages_archive")},
      {"sessions_approx", approx("sessions")},
      {"inbox_backlog_approx", approx("inbox")},
      {"live_nodes", live},
      {"held_polls", held},
  };
  std::string text;
  common::JsonWriter w;
  w.beginObject();
  for (const auto& [name, value] : figures) {
    text += (text.empty() ? "" : "\n") + std::string(name) + "\t" + std::to_string(value);
    w.key(name).number(value);
  }
  w.endObject();
  output_.done(text, w.take());
}

}  // namespace im::admin
