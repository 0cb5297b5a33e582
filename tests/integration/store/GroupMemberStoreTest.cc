// SPDX-License-Identifier: MIT
// GroupMemberStoreTest.cc - the member ids an event fans out to, on the stack's MariaDB.
#include "fcgi/store/GroupMemberStore.h"

#include "common/ApiError.h"
#include "fcgi/store/GroupStore.h"
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
};

TEST_F(GroupMemberStoreTest, ListsEveryMemberAscendingForAMember) {
  const uint64_t a = newUser("gm"), b = newUser("gm"), c = newUser("gm");
  const uint64_t group = groups_.create(b, "events", {c, a}, clock_.wallMs());
  const std::vector<uint64_t> expected = {a, b, c};  // users are created in ascending id order
  EXPECT_EQ(members_.memberIds(group, a), expected);
  EXPECT_EQ(members_.memberIds(group, c), expected);
}

TEST_F(GroupMemberStoreTest, AnUnknownGroupIsNotFoundAndANonMemberForbidden) {
  const uint64_t a = newUser("gm"), outsider = newUser("gm");
  const uint64_t group = groups_.create(a, "events", {}, clock_.wallMs());
  EXPECT_EQ(errorOf(group, outsider), ErrorCode::Forbidden);
  EXPECT_EQ(errorOf(group + 1000000, a), ErrorCode::NotFound);
  groups_.leave(group, a);  // a group whose members all left remains
  EXPECT_EQ(errorOf(group, a), ErrorCode::Forbidden);
}

}  // namespace
}  // namespace im::test
