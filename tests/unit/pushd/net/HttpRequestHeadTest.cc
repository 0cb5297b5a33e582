// SPDX-License-Identifier: MIT
// HttpRequestHeadTest.cc - head scanning and parsing without sockets.
#include "pushd/net/HttpRequestHead.h"

#include <gtest/gtest.h>

#include <string>

namespace im::net {
namespace {

TEST(HttpRequestHead, ParsesTheHandOverRequest) {
  const auto h = HttpRequestHead::parse(
      "GET /hold?uid=1&session=ab&since=0&timeout=5&limit=100 HTTP/1.0\r\nHost: 127.0.0.1:9101\r\n"
      "Connection: close\r\n\r\n");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->method(), "GET");
  EXPECT_EQ(h->path(), "/hold");
  EXPECT_EQ(h->query(), "uid=1&session=ab&since=0&timeout=5&limit=100");
}

TEST(HttpRequestHead, KeepsTheQueryRawForItsDecoder) {
  const auto h = HttpRequestHead::parse("GET /hold?session=a%2Db&bad=%zz HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->path(), "/hold");
  EXPECT_EQ(h->query(), "session=a%2Db&bad=%zz");
}

TEST(HttpRequestHead, AcceptsBareLineFeeds) {
  const auto h = HttpRequestHead::parse("GET /stats HTTP/1.0\nHost: x\n\n");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->path(), "/stats");
  EXPECT_EQ(h->query(), "");
}

TEST(HttpRequestHead, RejectsMalformedRequestLines) {
  EXPECT_FALSE(HttpRequestHead::parse("GET\r\n\r\n"));
  EXPECT_FALSE(HttpRequestHead::parse("GET /hold\r\n\r\n"));
  EXPECT_FALSE(HttpRequestHead::parse("GET hold HTTP/1.0\r\n\r\n"));
  EXPECT_FALSE(HttpRequestHead::parse("get /hold HTTP/1.0\r\n\r\n"));
  EXPECT_FALSE(HttpRequestHead::parse("GET /a b HTTP/1.0\r\n\r\n"));
  EXPECT_FALSE(HttpRequestHead::parse("GET /hold HTTP/2.0\r\n\r\n"));
}

TEST(HttpRequestHead, RejectsMalformedHeaderLines) {
  EXPECT_FALSE(HttpRequestHead::parse("GET / HTTP/1.0\r\nno colon here\r\n\r\n"));
  EXPECT_FALSE(HttpRequestHead::parse("GET / HTTP/1.0\r\n: empty name\r\n\r\n"));
  EXPECT_FALSE(HttpRequestHead::parse("GET / HTTP/1.0\r\nBad Name: x\r\n\r\n"));
}

TEST(HttpRequestHead, ScanWaitsForTheBlankLine) {
  size_t bytes = 0;
  EXPECT_EQ(HttpRequestHead::scan("GET / HTTP/1.0\r\nHost: x\r\n", 8192, bytes), HttpRequestHead::Scan::Incomplete);
  const std::string full = "GET / HTTP/1.0\r\nHost: x\r\n\r\n";
  EXPECT_EQ(HttpRequestHead::scan(full + "extra", 8192, bytes), HttpRequestHead::Scan::Complete);
  EXPECT_EQ(bytes, full.size());
}

TEST(HttpRequestHead, ScanRejectsAnOversizeHead) {
  size_t bytes = 0;
  const std::string big = "GET /" + std::string(9000, 'a');
  EXPECT_EQ(HttpRequestHead::scan(big, 8192, bytes), HttpRequestHead::Scan::TooLarge);
  const std::string endsLate = "GET /" + std::string(8200, 'a') + " HTTP/1.0\r\n\r\n";
  EXPECT_EQ(HttpRequestHead::scan(endsLate, 8192, bytes), HttpRequestHead::Scan::TooLarge);
}

}  // namespace
}  // namespace im::net
