// SPDX-License-Identifier: MIT
// GroupRoleTest.cc - role names and every (actor, target) pair of the permission rules.
#include "common/GroupRole.h"

#include <gtest/gtest.h>

namespace im::common {
namespace {

constexpr GroupRole kOwner = GroupRole::Owner, kAdmin = GroupRole::Admin, kMember = GroupRole::Member;

TEST(GroupRole, NamesRoundTripAndNothingElseParses) {
  for (GroupRole r : {kOwner, kAdmin, kMember}) EXPECT_EQ(parseGroupRole(toString(r)), r);
  EXPECT_EQ(toString(kOwner), "owner");
  EXPECT_EQ(toString(kAdmin), "admin");
  EXPECT_EQ(toString(kMember), "member");
  for (const char* bad : {"", "Owner", "ADMIN", "admin ", "moderator", "members"}) {
    EXPECT_FALSE(parseGroupRole(bad).has_value()) << bad;
  }
}

TEST(GroupRole, OwnerAndAdminsManageTheGroupMembersDoNot) {
  EXPECT_TRUE(mayManageGroup(kOwner));
  EXPECT_TRUE(mayManageGroup(kAdmin));
  EXPECT_FALSE(mayManageGroup(kMember));
}

TEST(GroupRole, RemovalFollowsTheRoleTable) {
  struct Case {
    GroupRole actor, target;
    bool allowed;
  };
  for (const Case& c : {Case{kOwner, kAdmin, true}, Case{kOwner, kMember, true}, Case{kOwner, kOwner, false},
                        Case{kAdmin, kMember, true}, Case{kAdmin, kAdmin, false}, Case{kAdmin, kOwner, false},
                        Case{kMember, kMember, false}, Case{kMember, kAdmin, false}, Case{kMember, kOwner, false}}) {
    EXPECT_EQ(mayRemove(c.actor, c.target), c.allowed) << toString(c.actor) << " removes " << toString(c.target);
  }
}

TEST(GroupRole, OnlyTheOwnerSetsRoles) {
  EXPECT_TRUE(maySetRole(kOwner));
  EXPECT_FALSE(maySetRole(kAdmin));
  EXPECT_FALSE(maySetRole(kMember));
}

}  // namespace
}  // namespace im::common
