// SPDX-License-Identifier: MIT
// UserStoreTest.cc - fcgi/store/UserStore on the real MariaDB: create, conflicts, lookups.
#include "fcgi/store/UserStore.h"

#include "common/ApiError.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using UserStore = StoreFixture;

TEST_F(UserStore, CreatesAUserWithAnEmptyInbox) {
  fcgi::UserStore users(db_);
  const std::string name = uniqueName("new");
  const uint64_t uid = users.create(name, "argon2-string", clock_.wallMs());
  EXPECT_TRUE(users.exists(uid));
  const auto found = users.findByName(name);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, uid);
  EXPECT_EQ(found->passwordHash, "argon2-string");
  EXPECT_EQ(stack_.sql("SELECT last_seq FROM inbox_counters WHERE user_id = " + id(uid)).at(0), "0");
}

TEST_F(UserStore, ATakenNameIsAConflictAndWritesNothing) {
  fcgi::UserStore users(db_);
  const std::string name = uniqueName("taken");
  users.create(name, "h", clock_.wallMs());
  const long long before = count("SELECT COUNT(*) FROM inbox_counters");
  try {
    users.create(name, "h2", clock_.wallMs());
    FAIL() << "a second user of the same name was created";
  } catch (const common::ApiError& e) {
    EXPECT_EQ(e.code(), common::ErrorCode::Conflict);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM inbox_counters"), before);
  EXPECT_EQ(users.findByName(name)->passwordHash, "h");
}

TEST_F(UserStore, UnknownNamesAndIdsAreAbsent) {
  fcgi::UserStore users(db_);
  EXPECT_FALSE(users.findByName(uniqueName("nobody")));
  EXPECT_FALSE(users.exists(UINT64_MAX));
}

TEST_F(UserStore, UsernamesListsOnlyTheIdsThatExist) {
  fcgi::UserStore users(db_);
  const uint64_t a = newUser("ua"), b = newUser("ub");
  const auto names = users.usernames({b, UINT64_MAX, a});
  ASSERT_EQ(names.size(), 2u);
  for (const auto& [uid, name] : names) {
    EXPECT_TRUE(uid == a || uid == b);
    EXPECT_EQ(stack_.sql("SELECT username FROM users WHERE id = " + id(uid)).at(0), name);
  }
}

}  // namespace
}  // namespace im::test
