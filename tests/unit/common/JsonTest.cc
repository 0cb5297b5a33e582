// SPDX-License-Identifier: MIT
// JsonTest.cc - the writer's exact output and the bounded request parser's rejections.
#include "common/Json.h"

#include <gtest/gtest.h>

#include "common/ApiError.h"

using namespace im::common;

TEST(JsonWriter, SeparatesMembersAndElementsWithCommas) {
  JsonWriter w;
  w.beginObject();
  w.key("a").number(int64_t{1});
  w.key("b").beginArray().string("x").boolean(true).null().endArray();
  w.key("c").beginObject().endObject();
  w.key("d").number(uint64_t{18446744073709551615ULL});
  w.endObject();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",true,null],"c":{},"d":18446744073709551615})");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  appendJsonString(out, std::string("q\"b\\n\n\x01\x1f", 8));
  EXPECT_EQ(out, R"("q\"b\\n\n\u0001\u001f")");
}

TEST(JsonWriter, PassesUtf8Through) {
  std::string out;
  appendJsonString(out, "h\xc3\xa9llo \xf0\x9f\x98\x80");
  EXPECT_EQ(out, "\"h\xc3\xa9llo \xf0\x9f\x98\x80\"");
}

TEST(JsonWriter, InsertsRawValues) {
  JsonWriter w;
  w.beginArray().raw(R"({"x":1})").raw("2").endArray();
  EXPECT_EQ(w.str(), R"([{"x":1},2])");
}

TEST(ParseJsonObject, AcceptsAnObject) {
  const auto o = parseJsonObject(R"({"to": 2, "body": "hi"})");
  EXPECT_EQ(o->getValue<int>("to"), 2);
  EXPECT_EQ(o->getValue<std::string>("body"), "hi");
}

TEST(ParseJsonObject, RejectsMalformedEmptyAndNonObjectBodies) {
  for (const char* body : {"", "{", "{\"a\":}", "[1,2]", "42", "\"str\"", "null", "{\"a\":1} trailing"}) {
    try {
      parseJsonObject(body);
      ADD_FAILURE() << "accepted: " << body;
    } catch (const ApiError& e) {
      EXPECT_EQ(e.code(), ErrorCode::BadRequest) << body;
    }
  }
}

TEST(ParseJsonObject, RejectsNestingDeeperThanTheLimit) {
  std::string deep(100, '[');
  deep = "{\"a\":" + deep + std::string(100, ']') + "}";
  EXPECT_THROW(parseJsonObject(deep, 8), ApiError);
  EXPECT_NO_THROW(parseJsonObject(R"({"a":[[1]]})", 8));
}

TEST(ParseJsonObject, RejectsInvalidUtf8EvenAfterAValidObject) {
  EXPECT_THROW(parseJsonObject("{}\xff junk"), ApiError);
  EXPECT_THROW(parseJsonObject("{\"a\":\"\xc3\"}"), ApiError);
}
