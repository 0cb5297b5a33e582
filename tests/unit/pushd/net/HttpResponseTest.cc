// SPDX-License-Identifier: MIT
// HttpResponseTest.cc - the answer bytes: head, Content-Length, and wrap() building in place.
#include "pushd/net/HttpResponse.h"

#include <gtest/gtest.h>

namespace im::net {
namespace {

TEST(HttpResponse, RendersStatusJsonTypeLengthAndClose) {
  EXPECT_EQ(HttpResponse::render(200, "{}"),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 2\r\n"
            "Connection: close\r\n\r\n{}");
  EXPECT_EQ(HttpResponse::render(405, "").substr(0, 32), "HTTP/1.1 405 Method Not Allowed\r");
}

TEST(HttpResponse, WrapGivesTheSameBytesAsRender) {
  const std::string body = R"({"messages":[],"next":12345678901234567890})";
  EXPECT_EQ(HttpResponse::wrap(503, body), HttpResponse::render(503, body));
  EXPECT_EQ(HttpResponse::wrap(200, ""), HttpResponse::render(200, ""));
}

}  // namespace
}  // namespace im::net
