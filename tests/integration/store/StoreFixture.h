// SPDX-License-Identifier: MIT
// StoreFixture.h - the fcgi stores below the HTTP level, on the real MariaDB of the test stack:
// a Db with the service account (the stack's im.properties), as a worker holds it.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/Config.h"
#include "common/Protocol.h"
#include "fcgi/Db.h"
#include "fcgi/store/SessionStore.h"
#include "fcgi/store/UserStore.h"
#include "tests/integration/Stack.h"

namespace im::test {

class StoreFixture : public ::testing::Test {
 protected:
  // A name no other test of this run has used ([a-z0-9_], <= 32 characters).
  static std::string uniqueName(const std::string& prefix) {
    static std::atomic<int> serial{0};
    return prefix + "_" + std::to_string(::getpid() % 100000) + "_" + std::to_string(serial++);
  }
  // A distinct 64-hex-digit hash per call, as Crypto produces from a token.
  static std::string tokenHash() {
    static std::atomic<int> serial{0};
    char hex[65];
    std::snprintf(hex, sizeof hex, "%016x%048x", static_cast<unsigned>(::getpid()), ++serial);
    return hex;
  }
  // A fresh user with its inbox counter, as registration makes it.
  uint64_t newUser(const std::string& prefix = "u") {
    return fcgi::UserStore(db_).create(uniqueName(prefix), "hash", clock_.wallMs());
  }
  // A device session of `uid`, as login makes it (acked_seq = the mailbox's last seq).
  uint64_t newSession(uint64_t uid, const std::string& device = "") {
    return fcgi::SessionStore(db_).create(uid, tokenHash(), device, clock_.wallMs()).sessionId;
  }
  // A group of `owner` with `members` (the owner too when listed), as GroupStore makes it.
  uint64_t newGroup(uint64_t owner, const std::vector<uint64_t>& members) {
    const std::string o = id(owner);
    stack_.sql("INSERT INTO chat_groups (name, created_by, created_at) VALUES ('g', " + o + ", NOW(3))");
    const std::string gid = stack_.sql("SELECT MAX(id) FROM chat_groups WHERE created_by = " + o).at(0);
    for (const uint64_t uid : members) {
      stack_.sql("INSERT INTO group_members (group_id, user_id, joined_at) VALUES (" + gid + ", " + id(uid) + ", NOW(3))");
    }
    return std::stoull(gid);
  }
  // What the acknowledgements wrote: a session's acked_seq, a user's inbox rows, the delivered
  // marker of `uid`'s direct conversation with `peer`.
  long long ackedSeq(uint64_t sessionId) const {
    return count("SELECT acked_seq FROM sessions WHERE id = " + id(sessionId));
  }
  long long inboxRows(uint64_t uid) const { return count("SELECT COUNT(*) FROM inbox WHERE user_id = " + id(uid)); }
  long long deliveredTo(uint64_t uid, uint64_t peer) const {
    return count("SELECT delivered_msg_id FROM conversations WHERE user_id = " + id(uid) + " AND kind = 'direct'" +
                 " AND target_id = " + id(peer));
  }
  // A person's message as a handler builds it (to == 0 for a group message).
  common::Message message(uint64_t from, uint64_t to, uint64_t group, std::string body,
                          std::optional<std::string> clientMsgId = std::nullopt) const {
    common::Message m;
    m.from = from;
    m.to = to;
    m.group = group;
    m.body = std::move(body);
    m.clientMsgId = std::move(clientMsgId);
    m.createdAtMs = clock_.wallMs();
    return m;
  }
  long long count(const std::string& query) const { return stack_.sqlCount(query); }
  static std::string id(uint64_t v) { return std::to_string(v); }

  // Declared in initialisation order: the config is read from the stack's var dir.
  Stack& stack_ = Stack::get();
  common::SystemClock clock_;
  const common::Config config_ = common::loadConfig(stack_.varDir() + "/im.properties", {});
  fcgi::Db db_{config_.mysql};
};

}  // namespace im::test
