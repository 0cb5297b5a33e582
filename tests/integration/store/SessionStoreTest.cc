// SPDX-License-Identifier: MIT
// SessionStoreTest.cc - fcgi/store/SessionStore on the real MariaDB: a device session is found by
// its token hash until it is revoked or idle, and a new device starts at the mailbox's end
// (login's next); the lookup carries the mailbox's last seq (the poll's since check).
#include "fcgi/store/SessionStore.h"

#include "fcgi/store/MessageStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using SessionStore = StoreFixture;

TEST_F(SessionStore, FindsALiveSessionByItsTokenHash) {
  fcgi::SessionStore sessions(db_);
  const uint64_t uid = newUser("sess");
  const std::string hash = tokenHash();
  const int64_t now = clock_.wallMs();
  const uint64_t sid = sessions.create(uid, hash, "laptop", now).sessionId;
  const auto found = sessions.find(hash, now - 1000);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->sessionId, sid);
  EXPECT_EQ(found->userId, uid);
  EXPECT_FALSE(sessions.find(tokenHash(), now - 1000)) << "an unknown hash found a session";
}

TEST_F(SessionStore, RevokedAndIdleSessionsAreNotFound) {
  fcgi::SessionStore sessions(db_);
  const uint64_t uid = newUser("sess");
  const std::string hash = tokenHash();
  const int64_t now = clock_.wallMs();
  const uint64_t sid = sessions.create(uid, hash, "", now).sessionId;
  EXPECT_FALSE(sessions.find(hash, now + 1000)) << "a session idle past the limit was found";
  sessions.revoke(sid, now);
  EXPECT_FALSE(sessions.find(hash, now - 1000)) << "a revoked session was found";
}

TEST_F(SessionStore, ANewDeviceStartsAtTheMailboxsLastSeq) {
  const uint64_t alice = newUser("alice"), bob = newUser("bob");
  fcgi::MessageStore messages(db_);
  for (int i = 0; i < 3; ++i) {
    messages.send(message(alice, bob, 0, "hi"));
  }
  fcgi::SessionStore sessions(db_);
  const std::string hash = tokenHash();
  const fcgi::NewSession opened = sessions.create(bob, hash, "phone", clock_.wallMs());
  EXPECT_EQ(opened.lastSeq, 3u) << "login's next";
  const auto found = sessions.find(hash, 0);
  EXPECT_EQ(found->ackedSeq, 3u);
  EXPECT_EQ(found->lastSeq, 3u) << "the poll's since check reads it here";
  messages.send(message(alice, bob, 0, "one more"));
  EXPECT_EQ(sessions.find(hash, 0)->lastSeq, 4u);
  EXPECT_EQ(sessions.find(hash, 0)->ackedSeq, 3u);
}

}  // namespace
}  // namespace im::test
