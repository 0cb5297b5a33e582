// SPDX-License-Identifier: MIT
// FixtureCommand.cc - fixture users a batch per transaction; the tokens file is written as the
// batches commit ("uid token" a line, mode 0600: the tokens are live credentials).
#include "admin/FixtureCommand.h"

#include <sys/stat.h>

#include <fstream>
#include <ostream>
#include <regex>
#include <stdexcept>

#include "common/Json.h"
#include "fcgi/Crypto.h"

namespace im::admin {
namespace {

[[noreturn]] void usage(const std::string& why) { throw std::runtime_error(why + " (im-admin --help)"); }

// A batch's users are one INSERT of three placeholders each: MariaDB takes 65,535 a statement.
constexpr uint64_t kMaxBatch = 20000;

uint64_t positive(const std::string& flag, const std::string& text, uint64_t max) {
  if (!std::regex_match(text, std::regex("[1-9][0-9]{0,8}")) || std::stoull(text) > max) {
    usage(flag + " takes 1-" + std::to_string(max));
  }
  return std::stoull(text);
}

}  // namespace

FixtureCommand::FixtureCommand(const common::Config& config, std::ostream& out, bool json)
    : config_(config), out_(out), json_(json), db_(config.mysql), store_(db_) {}

bool FixtureCommand::handles(const std::vector<std::string>& args) { return !args.empty() && args[0] == "fixture"; }

FixtureCommand::Options FixtureCommand::parse(const std::vector<std::string>& a) {
  if (a.size() < 2 || a[1] != "users" || a.size() % 2 != 0) usage("fixture users --prefix P --count N --tokens-out FILE");
  Options o;
  for (size_t i = 2; i + 1 < a.size(); i += 2) {
    if (a[i] == "--prefix") o.prefix = a[i + 1];
    else if (a[i] == "--count") o.count = positive("--count", a[i + 1], 10000000);
    else if (a[i] == "--batch") o.batch = positive("--batch", a[i + 1], kMaxBatch);
    else if (a[i] == "--tokens-out") o.tokensOut = a[i + 1];
    else if (a[i] == "--device") o.device = a[i + 1];
    else usage("unknown fixture option " + a[i]);
  }
  // The longest name (prefix + count's digits) must still be a username: 3-32 of [a-z0-9_].
  const size_t longest = o.prefix.size() + std::to_string(o.count).size();
  if (!std::regex_match(o.prefix, std::regex("[a-z0-9_]{1,31}")) || longest > 32 || longest < 3) {
    usage("--prefix: [a-z0-9_], with the count's digits 3-32 characters");
  }
  if (o.count == 0 || o.tokensOut.empty()) usage("fixture users needs --count and --tokens-out");
  if (o.device.empty() || o.device.size() > 64) usage("--device takes 1-64 characters");
  return o;
}

void FixtureCommand::run(const std::vector<std::string>& args) { users(parse(args)); }

void FixtureCommand::users(const Options& o) {
  std::ofstream tokens(o.tokensOut, std::ios::trunc);
  if (!tokens) throw std::runtime_error("cannot write " + o.tokensOut);
  ::chmod(o.tokensOut.c_str(), 0600);
  // One hash of a password nobody knows, shared by every fixture user: no login, no Argon2 each.
  const std::string passwordHash =
      fcgi::hashPassword(fcgi::newToken(), config_.auth.argon2Ops, config_.auth.argon2MemKib);
  uint64_t firstId = 0, lastId = 0;
  bool consecutive = true;
  for (uint64_t from = 1; from <= o.count; from += o.batch) {
    std::vector<fcgi::FixtureUser> batch;
    std::vector<std::string> plain;
    for (uint64_t n = from; n < from + o.batch && n <= o.count; ++n) {
      plain.push_back(fcgi::newToken());
      batch.push_back({o.prefix + std::to_string(n), fcgi::tokenHashHex(plain.back())});
    }
    const std::vector<uint64_t> ids = store_.addUsers(batch, passwordHash, o.device, clock_.wallMs());
    for (size_t i = 0; i < ids.size(); ++i) {
      if (firstId == 0) firstId = ids[i];
      else if (ids[i] != lastId + 1) consecutive = false;
      lastId = ids[i];
      tokens << ids[i] << ' ' << plain[i] << '\n';
    }
  }
  tokens.close();
  if (!tokens) throw std::runtime_error("cannot write " + o.tokensOut);
  common::JsonWriter w;
  w.beginObject().key("users").number(o.count).key("first_id").number(firstId).key("last_id").number(lastId);
  w.key("consecutive").boolean(consecutive).endObject();
  out_ << (json_ ? w.take()
                 : "added " + std::to_string(o.count) + " users " + o.prefix + "1.." + o.prefix + std::to_string(o.count) +
                       " (ids " + std::to_string(firstId) + ".." + std::to_string(lastId) + "); tokens in " + o.tokensOut)
       << '\n';
}

}  // namespace im::admin
