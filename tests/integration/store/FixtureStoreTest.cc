// SPDX-License-Identifier: MIT
// FixtureStoreTest.cc - fcgi/store/FixtureStore on the real MariaDB: a batch's users are found by
// the product's own session lookup under fcgi/Crypto's hash of their tokens, with consecutive ids
// in the batch's order, and a batch with a taken name is rolled back whole.
#include "fcgi/store/FixtureStore.h"

#include <string>
#include <vector>

#include "common/ApiError.h"
#include "fcgi/Crypto.h"
#include "fcgi/store/SessionStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using FixtureStore = StoreFixture;

TEST_F(FixtureStore, ABatchsSessionsAreFoundByTheirTokensHash) {
  const std::string prefix = uniqueName("fx");
  std::vector<std::string> tokens;
  std::vector<fcgi::FixtureUser> batch;
  for (int i = 0; i < 3; ++i) {
    tokens.push_back(fcgi::newToken());
    batch.push_back({prefix + "_" + std::to_string(i), fcgi::tokenHashHex(tokens.back())});
  }
  const int64_t now = clock_.wallMs();
  const std::vector<uint64_t> ids = fcgi::FixtureStore(db_).addUsers(batch, "hash", "bench", now);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[1], ids[0] + 1);
  EXPECT_EQ(ids[2], ids[0] + 2);
  fcgi::SessionStore sessions(db_);
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto found = sessions.find(fcgi::tokenHashHex(tokens[i]), now - 1000);  // joins the inbox counter
    ASSERT_TRUE(found) << batch[i].username;
    EXPECT_EQ(found->userId, ids[i]);
    EXPECT_EQ(found->username, batch[i].username);
    EXPECT_EQ(found->lastSeq, 0u);
  }
}

TEST_F(FixtureStore, ABatchWithATakenNameWritesNothing) {
  const std::string taken = uniqueName("fx");
  newUser();  // an unrelated user, so the table is not empty either way
  fcgi::FixtureStore(db_).addUsers({{taken, fcgi::tokenHashHex(fcgi::newToken())}}, "hash", "bench", clock_.wallMs());
  const std::string fresh = uniqueName("fx");
  const std::vector<fcgi::FixtureUser> batch = {{fresh, fcgi::tokenHashHex(fcgi::newToken())},
                                                {taken, fcgi::tokenHashHex(fcgi::newToken())}};
  try {
    fcgi::FixtureStore(db_).addUsers(batch, "hash", "bench", clock_.wallMs());
    ADD_FAILURE() << "a taken name was accepted";
  } catch (const common::ApiError& e) {
    EXPECT_EQ(e.code(), common::ErrorCode::Conflict);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE username = '" + fresh + "'"), 0);
}

}  // namespace
}  // namespace im::test
