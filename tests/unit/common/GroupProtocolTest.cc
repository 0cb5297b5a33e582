// SPDX-License-Identifier: MIT
// GroupProtocolTest.cc - the group management bodies: PATCH group, add members, set role.
#include "common/GroupProtocol.h"

#include <gtest/gtest.h>

#include "common/ApiError.h"
#include "tests/support/ApiErrorOf.h"
#include "common/Protocol.h"

namespace im::common {
namespace {

using test::errorOf;

TEST(GroupProtocol, UpdateTakesEitherFieldOrBoth) {
  const auto named = parseUpdateGroupRequest(R"({"name":"ops"})");
  EXPECT_EQ(named.name, "ops");
  EXPECT_FALSE(named.isPublic.has_value());
  const auto opened = parseUpdateGroupRequest(R"({"public":true})");
  EXPECT_FALSE(opened.name.has_value());
  EXPECT_EQ(opened.isPublic, true);
  const auto both = parseUpdateGroupRequest(R"({"name":"é","public":false,"extra":1})");
  EXPECT_EQ(both.name, "é");
  EXPECT_EQ(both.isPublic, false);
}

TEST(GroupProtocol, UpdateRefusesNothingToChangeAndBadFields) {
  const std::string name65(65, 'x');
  for (const std::string& body :
       {std::string("{}"), std::string(R"({"name":null,"public":null})"), std::string(R"({"name":""})"),
        R"({"name":")" + name65 + "\"}", std::string(R"({"name":7})"), std::string(R"({"public":1})"),
        std::string(R"({"public":"true"})"), std::string(R"({"public":[true]})"), std::string("[]"),
        std::string("{"), std::string("\xff")}) {
    EXPECT_EQ(errorOf([&] { parseUpdateGroupRequest(body); }), ErrorCode::BadRequest) << body;
  }
  std::string name64;
  for (int i = 0; i < 64; ++i) name64 += "é";
  EXPECT_EQ(parseUpdateGroupRequest(R"({"name":")" + name64 + "\"}").name, name64);
}

TEST(GroupProtocol, AddMembersKeepsRequestOrderWithoutDuplicates) {
  EXPECT_EQ(parseAddMembersRequest(R"({"user_ids":[5,4,5,9]})").userIds, (std::vector<uint64_t>{5, 4, 9}));
  EXPECT_EQ(parseAddMembersRequest(R"({"user_ids":[18446744073709551615]})").userIds,
            std::vector<uint64_t>{18446744073709551615ull});
}

TEST(GroupProtocol, AddMembersRefusesBadLists) {
  for (const char* body : {"{}", R"({"user_ids":null})", R"({"user_ids":[]})", R"({"user_ids":4})",
                           R"({"user_ids":"4"})", R"({"user_ids":{"a":4}})", R"({"user_ids":[0]})",
                           R"({"user_ids":[-4]})", R"({"user_ids":[1.5]})", R"({"user_ids":["4"]})",
                           R"({"user_ids":[true]})", R"({"user_ids":[null]})", R"({"user_ids":[[4]]})",
                           R"({"members":[4]})"}) {
    EXPECT_EQ(errorOf([&] { parseAddMembersRequest(body); }), ErrorCode::BadRequest) << body;
  }
}

TEST(GroupProtocol, MoreThan2000DistinctIdsAreAConflictDuplicatesDoNotCount) {
  std::string ids;
  for (uint64_t i = 1; i <= kMaxGroupMembers + 1; ++i) ids += (i > 1 ? "," : "") + std::to_string(i);
  EXPECT_EQ(errorOf([&] { parseAddMembersRequest(R"({"user_ids":[)" + ids + "]}"); }), ErrorCode::Conflict);
  std::string repeated = "1";
  for (uint64_t i = 0; i < kMaxGroupMembers + 10; ++i) repeated += ",1";
  EXPECT_EQ(parseAddMembersRequest(R"({"user_ids":[)" + repeated + "]}").userIds.size(), 1u);
}

TEST(GroupProtocol, RoleIsAdminOrMember) {
  EXPECT_EQ(parseSetRoleRequest(R"({"role":"admin"})").role, GroupRole::Admin);
  EXPECT_EQ(parseSetRoleRequest(R"({"role":"member"})").role, GroupRole::Member);
  for (const char* body : {"{}", R"({"role":null})", R"({"role":"owner"})", R"({"role":"Admin"})",
                           R"({"role":""})", R"({"role":1})", R"({"role":["admin"]})", "[]"}) {
    EXPECT_EQ(errorOf([&] { parseSetRoleRequest(body); }), ErrorCode::BadRequest) << body;
  }
}

TEST(GroupProtocol, CreateIsPrivateUnlessPublicIsTrue) {
  EXPECT_FALSE(parseCreateGroupRequest(R"({"name":"ops"})").isPublic);
  EXPECT_FALSE(parseCreateGroupRequest(R"({"name":"ops","public":false})").isPublic);
  EXPECT_FALSE(parseCreateGroupRequest(R"({"name":"ops","public":null})").isPublic);
  EXPECT_TRUE(parseCreateGroupRequest(R"({"name":"ops","public":true,"members":[2]})").isPublic);
  for (const char* body : {R"({"name":"ops","public":1})", R"({"name":"ops","public":"yes"})"}) {
    EXPECT_EQ(errorOf([&] { parseCreateGroupRequest(body); }), ErrorCode::BadRequest) << body;
  }
}

}  // namespace
}  // namespace im::common
