// SPDX-License-Identifier: MIT
// AdminCommands.cc - one function per command; SQL lives in fcgi/store, keys in common/RedisKeys.
#include "admin/AdminCommands.h"

#include <istream>
#include <ostream>
#include <regex>
#include <stdexcept>

#include "admin/ForgetDevices.h"
#include "admin/GroupCommands.h"
#include "admin/SessionRevocation.h"
#include "admin/StatsCommand.h"
#include "admin/UserDeletion.h"
#include "common/Json.h"
#include "common/Time.h"
#include "fcgi/Auth.h"
#include "fcgi/Crypto.h"
#include "fcgi/ops/PushdScrape.h"

namespace im::admin {
namespace {

[[noreturn]] void usage(const std::string& why) { throw std::runtime_error(why + " (im-admin --help)"); }

constexpr int kScrapeTimeoutMs = 1000;
constexpr uint64_t kArchiveBatch = 1000;  // rows per transaction: row locks held for milliseconds
constexpr uint64_t kPruneBatch = 1000;    // rows per DELETE, likewise

// "180d", "12h", "30m", "90s" -> milliseconds.
int64_t durationMs(const std::string& text) {
  std::smatch m;
  if (!std::regex_match(text, m, std::regex("([1-9][0-9]{0,6})([dhms])"))) usage("--older-than takes e.g. 180d, 12h, 90s");
  const int64_t n = std::stoll(m[1]);
  const char unit = m[2].str()[0];
  const int64_t perUnit = unit == 'd' ? 86400000 : unit == 'h' ? 3600000 : unit == 'm' ? 60000 : 1000;
  return n * perUnit;
}


uint64_t batchOf(const std::string& text) {
  if (!std::regex_match(text, std::regex("[1-9][0-9]{0,5}"))) usage("--batch takes 1-999999");
  return std::stoull(text);
}

std::string when(int64_t ms) { return ms == 0 ? "-" : common::formatRfc3339(ms); }

}  // namespace

AdminCommands::AdminCommands(const common::Config& config, std::istream& in, std::ostream& out, bool json)
    : config_(config),
      in_(in),
      output_{out, json},
      services_(config, clock_),
      users_(services_.users),
      admin_(services_.db),
      deletion_(services_.db) {}

void AdminCommands::run(const std::vector<std::string>& a) {
  const auto is = [&](size_t n, const char* group, const char* verb) {
    return a.size() == n && a[0] == group && a[1] == verb;
  };
  if (is(3, "users", "add")) return usersAdd(a[2]);
  if (is(3, "users", "reset-password")) return usersResetPassword(a[2]);
  if (is(3, "users", "disable")) return usersDisable(a[2]);
  if (is(3, "sessions", "list")) return sessionsList(a[2]);
  if (is(4, "sessions", "revoke")) return sessionsRevoke(a[2], a[3]);
  if (a.size() == 1 && a[0] == "nodes") return nodes();
  if (a.size() == 3 && a[0] == "archive" && a[1] == "--older-than") return archive(a[2], kArchiveBatch);
  if (a.size() == 5 && a[0] == "archive" && a[1] == "--older-than" && a[3] == "--batch") return archive(a[2], batchOf(a[4]));
  if (is(2, "sessions", "prune")) return sessionsPrune(kPruneBatch);
  if (is(4, "sessions", "prune") && a[2] == "--batch") return sessionsPrune(batchOf(a[3]));
  if (is(2, "inbox", "prune")) return inboxPrune(kPruneBatch);
  if (is(4, "inbox", "prune") && a[2] == "--batch") return inboxPrune(batchOf(a[3]));
  if (!runMore(a)) usage("unknown command");
}

// The commands that live in their own classes.
bool AdminCommands::runMore(const std::vector<std::string>& a) {
  const auto is = [&](size_t n, const char* group, const char* verb) {
    return a.size() == n && a[0] == group && a[1] == verb;
  };
  if (is(3, "users", "delete")) UserDeletion(services_, output_).run(a[2]);
  else if (is(2, "groups", "list")) GroupCommands(services_, output_).list();
  else if (is(3, "groups", "show")) GroupCommands(services_, output_).show(a[2]);
  else if (is(4, "groups", "transfer")) GroupCommands(services_, output_).transfer(a[2], a[3]);
  else if (a.size() == 1 && a[0] == "stats") StatsCommand(services_, output_).run();
  else return false;
  return true;
}

uint64_t AdminCommands::uidOf(const std::string& name) {
  const auto user = users_.findByName(name);
  if (!user) throw std::runtime_error("no such user: " + name);
  return user->id;
}

uint64_t AdminCommands::revokeSessions(uint64_t uid, uint64_t sessionId) {
  const uint64_t revoked = revokeBetweenTombstones(services_, admin_, uid, sessionId,
                                                   [&] { return admin_.revoke(uid, sessionId, clock_.wallMs()); });
  forgetDevices(services_, admin_, uid, sessionId);
  return revoked;
}

// One line from stdin (a pipe or a terminal); never a command-line argument, which `ps` shows.
std::string AdminCommands::readPassword() {
  std::string password;
  if (!std::getline(in_, password) || password.size() < 8 || password.size() > 128) {
    throw std::runtime_error("give the password (8-128 characters) as one line on stdin");
  }
  return password;
}

void AdminCommands::usersAdd(const std::string& name) {
  if (!std::regex_match(name, std::regex("[a-z0-9_]{3,32}"))) usage("a username is 3-32 of [a-z0-9_]");
  const std::string hash = fcgi::hashPassword(readPassword(), config_.auth.argon2Ops, config_.auth.argon2MemKib);
  const uint64_t id = users_.create(name, hash, clock_.wallMs());
  common::JsonWriter w;
  w.beginObject().key("id").number(id).key("username").string(name).endObject();
  done("added " + name + " (id " + std::to_string(id) + ")", w.take());
}

void AdminCommands::usersResetPassword(const std::string& name) {
  const uint64_t uid = uidOf(name);
  if (deletion_.isDeleted(uid)) throw std::runtime_error(name + " was deleted: a deleted account stays deleted");
  admin_.setPasswordHash(uid, fcgi::hashPassword(readPassword(), config_.auth.argon2Ops, config_.auth.argon2MemKib));
  const uint64_t revoked = revokeSessions(uid, 0);  // a reset ends every session
  common::JsonWriter w;
  w.beginObject().key("id").number(uid).key("sessions_revoked").number(revoked).endObject();
  done("password of " + name + " reset; " + std::to_string(revoked) + " sessions revoked", w.take());
}

// No schema change: the password becomes one nobody knows and every session ends. Messages
// stay (history of the others); reset-password enables the account again.
void AdminCommands::usersDisable(const std::string& name) {
  const uint64_t uid = uidOf(name);
  admin_.setPasswordHash(uid, fcgi::hashPassword(fcgi::newToken(), config_.auth.argon2Ops, config_.auth.argon2MemKib));
  const uint64_t revoked = revokeSessions(uid, 0);
  common::JsonWriter w;
  w.beginObject().key("id").number(uid).key("sessions_revoked").number(revoked).endObject();
  done("disabled " + name + "; " + std::to_string(revoked) + " sessions revoked", w.take());
}

void AdminCommands::sessionsList(const std::string& name) {
  const auto rows = admin_.sessionsOf(uidOf(name));
  std::string text = "id\tdevice\tacked_seq\tcreated\tlast_used\trevoked";
  common::JsonWriter w;
  w.beginArray();
  for (const auto& r : rows) {
    text += "\n" + std::to_string(r.id) + "\t" + r.device + "\t" + std::to_string(r.ackedSeq) + "\t" + when(r.createdMs) +
            "\t" + when(r.lastUsedMs) + "\t" + when(r.revokedMs);
    w.beginObject().key("id").number(r.id).key("device").string(r.device).key("acked_seq").number(r.ackedSeq);
    w.key("created_at").string(when(r.createdMs)).key("last_used_at").string(when(r.lastUsedMs));
    w.key("revoked").boolean(r.revokedMs != 0).endObject();
  }
  w.endArray();
  done(text, w.take());
}

void AdminCommands::sessionsRevoke(const std::string& name, const std::string& which) {
  uint64_t id = 0;
  if (which != "--all") {
    if (!std::regex_match(which, std::regex("[1-9][0-9]{0,18}"))) usage("revoke <session-id> or --all");
    id = std::stoull(which);
  }
  const uint64_t revoked = revokeSessions(uidOf(name), id);
  common::JsonWriter w;
  w.beginObject().key("sessions_revoked").number(revoked).endObject();
  done(std::to_string(revoked) + " sessions revoked", w.take());
}

void AdminCommands::nodes() {
  const auto all = fcgi::scrapePushd(services_.nodes.liveNodes(), kScrapeTimeoutMs);
  std::string text = "node\tup\theld_polls\tuptime_s";
  common::JsonWriter w;
  w.beginArray();
  for (const auto& n : all) {
    const auto held = n.stats ? n.stats->getValue<uint64_t>("held_polls") : 0;
    const auto uptime = n.stats ? n.stats->getValue<uint64_t>("uptime_s") : 0;
    text += "\n" + n.node + "\t" + (n.stats ? "yes" : "no") + "\t" + std::to_string(held) + "\t" + std::to_string(uptime);
    w.beginObject().key("node").string(n.node).key("up").boolean(n.stats != nullptr);
    w.key("held_polls").number(held).key("uptime_s").number(uptime).endObject();
  }
  w.endArray();
  done(text, w.take());
}

// Batch after batch from the oldest id, each its own short transaction, so sends go on; a
// message still in someone's inbox (not yet delivered to every device) stays.
void AdminCommands::archive(const std::string& olderThan, uint64_t batch) {
  const int64_t cutoffMs = clock_.wallMs() - durationMs(olderThan);
  uint64_t moved = 0, batches = 0, afterId = 0;
  for (bool more = true; more; ++batches) {
    const fcgi::AdminStore::ArchiveBatch b = admin_.archiveBatch(afterId, batch, cutoffMs);
    moved += b.moved;
    afterId = b.lastId;
    more = b.more;
  }
  common::JsonWriter w;
  w.beginObject().key("archived").number(moved).key("batches").number(batches);
  w.key("cutoff").string(common::formatRfc3339(cutoffMs)).endObject();
  done("archived " + std::to_string(moved) + " messages older than " + common::formatRfc3339(cutoffMs) + " in " +
           std::to_string(batches) + " batches",
       w.take());
}

// Only sessions no token can use: revoked, or idle past auth.token_idle_days. One DELETE per
// batch, each its own transaction, so logins and polls go on.
void AdminCommands::sessionsPrune(uint64_t batch) {
  const int64_t idleBeforeMs = clock_.wallMs() - fcgi::idleLimitMs(config_);
  uint64_t pruned = 0, afterId = 0;
  for (;;) {
    const fcgi::AdminStore::PruneBatch b = admin_.pruneSessions(afterId, batch, idleBeforeMs);
    pruned += b.deleted;
    afterId = b.lastId;
    if (b.deleted < batch) break;
  }
  common::JsonWriter w;
  w.beginObject().key("sessions_pruned").number(pruned).endObject();
  done("pruned " + std::to_string(pruned) + " sessions (revoked, or idle " + std::to_string(config_.auth.tokenIdleDays) +
           " days or more)",
       w.take());
}

// User after user, each user's acknowledged rows `batch` at a time; the messages they named can
// then be archived (`archive` keeps a message while an inbox row names it).
void AdminCommands::inboxPrune(uint64_t batch) {
  const int64_t liveAfterMs = clock_.wallMs() - fcgi::idleLimitMs(config_);
  uint64_t pruned = 0, users = 0, afterUid = 0;
  for (auto uids = admin_.inboxUsers(0, batch); !uids.empty(); uids = admin_.inboxUsers(afterUid, batch)) {
    for (const uint64_t uid : uids) {
      uint64_t n = 0, deleted = 0;
      do {
        deleted = admin_.pruneInbox(uid, batch, liveAfterMs);
        n += deleted;
      } while (deleted == batch);
      pruned += n;
      if (n > 0) ++users;
    }
    afterUid = uids.back();
  }
  common::JsonWriter w;
  w.beginObject().key("inbox_rows_pruned").number(pruned).key("users").number(users).endObject();
  done("pruned " + std::to_string(pruned) + " acknowledged inbox rows of " + std::to_string(users) + " users", w.take());
}

}  // namespace im::admin
