// SPDX-License-Identifier: MIT
// GroupStoreTest.cc - fcgi/store/GroupStore on the stack's MariaDB: the member ids an event fans out to.
#include "fcgi/store/GroupStore.h"

#include "common/ApiError.h"
#include "fcgi/store/MembershipStore.h"
#include "fcgi/store/MessageStore.h"
#include "tests/support/ApiErrorOf.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using common::ApiError;
using common::ErrorCode;

class GroupStoreTest : public StoreFixture {
 protected:
  ErrorCode errorOf(uint64_t group, uint64_t caller) {
    return test::errorOf([&] { groups_.memberIds(group, caller); });
  }

  fcgi::GroupStore groups_{db_};
  fcgi::MessageStore messages_{db_};
  fcgi::MembershipStore membership_{db_, messages_};
};

TEST_F(GroupStoreTest, ListsEveryMemberAscendingForAMember) {
  const uint64_t a = newUser("gm"), b = newUser("gm"), c = newUser("gm");
  const uint64_t group = groups_.create(b, "events", {c, a}, false, clock_.wallMs());
  const std::vector<uint64_t> expected = {a, b, c};  // users are created in ascending id order
  EXPECT_EQ(groups_.memberIds(group, a), expected);
  EXPECT_EQ(groups_.memberIds(group, c), expected);
}

TEST_F(GroupStoreTest, AnUnknownGroupIsNotFoundAndANonMemberForbidden) {
  const uint64_t a = newUser("gm"), outsider = newUser("gm");
  const uint64_t group = groups_.create(a, "events", {}, false, clock_.wallMs());
  EXPECT_EQ(errorOf(group, outsider), ErrorCode::Forbidden);
  EXPECT_EQ(errorOf(group + 1000000, a), ErrorCode::NotFound);
  membership_.leave(group, fcgi::GroupActor{a, "a"}, clock_.wallMs());  // a group whose members all left remains
  EXPECT_EQ(errorOf(group, a), ErrorCode::Forbidden);
}

}  // namespace
}  // namespace im::test
