// SPDX-License-Identifier: MIT
// GroupMemberStoreTest.cc - the member ids an event fans out to, on the stack's MariaDB.
#include "fcgi/store/GroupMemberStore.h"

#include "common/ApiError.h"
#include "fcgi/store/GroupStore.h"
#include "fcgi/store/MembershipStore.h"
#include "fcgi/store/MessageStore.h"
#include "tests/integration/store/StoreFixture.h"

namespace im::test {
namespace {

using common::ApiError;
using common::ErrorCode;

class GroupMemberStoreTest : public StoreFixture {
 protected:
  ErrorCode errorOf(uint64_t group, uint64_t caller) {
    try {
      members_.memberIds(group, caller);
    } catch (const ApiError& e) {
      return e.code();
    }
    ADD_FAILURE() << "no error";
    return ErrorCode::BadRequest;
  }

  fcgi::GroupStore groups_{db_};
  fcgi::GroupMemberStore members_{db_};
  fcgi::MessageStore messages_{db_};
  fcgi::MembershipStore membership_{db_, messages_};
};

TEST_F(GroupMemberStoreTest, ListsEveryMemberAscendingForAMember) {
  const uint64_t a = newUser("gm"), b = newUser("gm"), c = newUser("gm");
  const uint64_t group = groups_.create(b, "events", {c, a}, false, clock_.wallMs());
  const std::vector<uint64_t> expected = {a, b, c};  // users are created in ascending id order
  EXPECT_EQ(members_.memberIds(group, a), expected);
  EXPECT_EQ(members_.memberIds(group, c), expected);
}

TEST_F(GroupMemberStoreTest, AnUnknownGroupIsNotFoundAndANonMemberForbidden) {
  const uint64_t a = newUser("gm"), outsider = newUser("gm");
  const uint64_t group = groups_.create(a, "events", {}, false, clock_.wallMs());
  EXPECT_EQ(errorOf(group, outsider), ErrorCode::Forbidden);
  EXPECT_EQ(errorOf(group + 1000000, a), ErrorCode::NotFound);
  membership_.leave(group, fcgi::GroupActor{a, "a"}, clock_.wallMs());  // a group whose members all left remains
  EXPECT_EQ(errorOf(group, a), ErrorCode::Forbidden);
}

}  // namespace
}  // namespace im::test
